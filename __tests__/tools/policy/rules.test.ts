import * as fs from "node:fs";
import * as path from "node:path";
import { evaluate } from "../../../tools/policy/engine";
import { RULES } from "../../../tools/policy/rules";
import type { Rule, Verdict } from "../../../tools/policy/types";
import { buildApp, type StackJson } from "../../../tools/synth/app";
import { REPO_ROOT } from "../../support/fixtures";

type Resources = Record<string, Record<string, Record<string, any>>>;

/** A stack of the given resources (and data sources under the key "data"). */
function stack(resources: Resources, data: Resources = {}): StackJson {
  return { resource: resources, data };
}

/** The verdict of one rule on `<type>.<name>` of a one-stack app. */
function verdict(rule: Rule, json: StackJson, target: string): Verdict {
  const app = buildApp(new Map([["dev-test", json]]));
  const found = evaluate(app, [rule]).find((v) => v.address === `dev-test/${target}`);
  if (!found) throw new Error(`${rule.id} gave no verdict on ${target}`);
  return found;
}

const bucket = (extra: Resources = {}, name = "b"): Resources => ({ aws_s3_bucket: { [name]: { bucket: "upskill-dev-b" } }, ...extra });
const ref = (type: string, name = "b", attr = "id") => `\${${type}.${name}.${attr}}`;
const tlsDoc = {
  aws_iam_policy_document: {
    tls: {
      statement: [{ sid: "DenyInsecureTransport", effect: "Deny", actions: ["s3:*"], resources: [ref("aws_s3_bucket", "b", "arn")], principals: [{ type: "*", identifiers: ["*"] }], condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }] }],
    },
  },
};
const policy = (statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statement });
const githubTrust = (sub: unknown, aud = true) =>
  policy([
    {
      Effect: "Allow",
      Action: "sts:AssumeRoleWithWebIdentity",
      Principal: { Federated: "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com" },
      Condition: { StringLike: { "token.actions.githubusercontent.com:sub": sub }, ...(aud ? { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } } : {}) },
    },
  ]);

const vis = { cloudwatch_metrics_enabled: true, sampled_requests_enabled: true, metric_name: "m" };
/** A web ACL with the required protections, less what the options remove. */
function wafAcl(o: { groups?: string[]; rate?: boolean; metrics?: boolean; logging?: boolean } = {}): StackJson {
  const groups = (o.groups ?? ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"]).map((name) => ({
    name,
    statement: { managed_rule_group_statement: { vendor_name: "AWS", name } },
    visibility_config: o.metrics === false ? { ...vis, sampled_requests_enabled: false } : vis,
  }));
  const rate = o.rate === false ? [] : [{ name: "rate", statement: { rate_based_statement: { limit: 2000 } }, visibility_config: vis }];
  return stack({
    aws_wafv2_web_acl: { a: { visibility_config: vis, rule: [...rate, ...groups] } },
    ...(o.logging === false ? {} : { aws_wafv2_web_acl_logging_configuration: { l: { resource_arn: "${aws_wafv2_web_acl.a.arn}" } } }),
  });
}

interface Case {
  readonly name: string;
  readonly json: StackJson;
  /** Default: the first resource of the first type. */
  readonly target?: string;
  /** For a non-compliant case: what the message must say. */
  readonly message?: RegExp;
  /** Expected status other than pass/fail (na). */
  readonly status?: Verdict["status"];
}

/** For every rule: configurations it must accept and ones it must reject. */
const CASES: Record<string, { compliant: Case[]; noncompliant: Case[] }> = {
  "s3-bucket-encryption": {
    compliant: [{ name: "SSE-KMS with a key", json: stack(bucket({ aws_s3_bucket_server_side_encryption_configuration: { e: { bucket: ref("aws_s3_bucket"), rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "${aws_kms_key.k.arn}" } }] } } })), target: "aws_s3_bucket.b" }],
    noncompliant: [
      { name: "no encryption configuration", json: stack(bucket()), message: /no aws_s3_bucket_server_side_encryption_configuration/ },
      { name: "SSE-S3", json: stack(bucket({ aws_s3_bucket_server_side_encryption_configuration: { e: { bucket: "upskill-dev-b", rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }] } } })), target: "aws_s3_bucket.b", message: /AES256 without kms_master_key_id/ },
    ],
  },
  "kms-key-rotation": {
    compliant: [
      { name: "rotation on", json: stack({ aws_kms_key: { k: { enable_key_rotation: true } } }) },
      { name: "asymmetric key (rotation not possible)", json: stack({ aws_kms_key: { k: { customer_master_key_spec: "RSA_2048" } } }), status: "na" },
    ],
    noncompliant: [{ name: "rotation off", json: stack({ aws_kms_key: { k: { enable_key_rotation: false } } }), message: /enable_key_rotation is not true/ }],
  },
  "rds-storage-encrypted": {
    compliant: [
      { name: "encrypted with a key", json: stack({ aws_db_instance: { p: { storage_encrypted: true, kms_key_id: "${aws_kms_key.db.arn}" } } }) },
      { name: "replica inherits", json: stack({ aws_db_instance: { r: { replicate_source_db: "${aws_db_instance.p.identifier}" } } }) },
    ],
    noncompliant: [
      { name: "not encrypted", json: stack({ aws_db_instance: { p: {} } }), message: /storage_encrypted is not true/ },
      { name: "AWS-managed key", json: stack({ aws_rds_cluster: { c: { storage_encrypted: true } } }), message: /aws\/rds/ },
    ],
  },
  "elasticache-encryption-at-rest": {
    compliant: [{ name: "encrypted with a key", json: stack({ aws_elasticache_replication_group: { c: { at_rest_encryption_enabled: "true", kms_key_id: "k" } } }) }],
    noncompliant: [
      { name: "off", json: stack({ aws_elasticache_replication_group: { c: {} } }), message: /at_rest_encryption_enabled/ },
      { name: "no key", json: stack({ aws_elasticache_replication_group: { c: { at_rest_encryption_enabled: true } } }), message: /kms_key_id/ },
    ],
  },
  "elasticache-in-transit-encryption": {
    compliant: [{ name: "TLS required", json: stack({ aws_elasticache_replication_group: { c: { transit_encryption_enabled: true } } }) }],
    noncompliant: [
      { name: "off", json: stack({ aws_elasticache_replication_group: { c: {} } }), message: /transit_encryption_enabled/ },
      { name: "preferred mode", json: stack({ aws_elasticache_replication_group: { c: { transit_encryption_enabled: true, transit_encryption_mode: "preferred" } } }), message: /plaintext/ },
    ],
  },
  "log-group-encryption": {
    compliant: [{ name: "key", json: stack({ aws_cloudwatch_log_group: { l: { kms_key_id: "k", retention_in_days: 30 } } }) }],
    noncompliant: [{ name: "no key", json: stack({ aws_cloudwatch_log_group: { l: { retention_in_days: 30 } } }), message: /no kms_key_id/ }],
  },
  "log-group-retention": {
    compliant: [{ name: "30 days", json: stack({ aws_cloudwatch_log_group: { l: { retention_in_days: 30 } } }) }],
    noncompliant: [
      { name: "unset", json: stack({ aws_cloudwatch_log_group: { l: {} } }), message: /never expire/ },
      { name: "zero", json: stack({ aws_cloudwatch_log_group: { l: { retention_in_days: 0 } } }), message: /retention_in_days is 0/ },
    ],
  },
  "dynamodb-encryption": {
    compliant: [{ name: "CMK", json: stack({ aws_dynamodb_table: { t: { server_side_encryption: { enabled: true, kms_key_arn: "k" } } } }) }],
    noncompliant: [
      { name: "AWS-owned", json: stack({ aws_dynamodb_table: { t: {} } }), message: /AWS-owned/ },
      { name: "AWS-managed", json: stack({ aws_dynamodb_table: { t: { server_side_encryption: { enabled: true } } } }), message: /aws\/dynamodb/ },
    ],
  },
  "sns-topic-encryption": {
    compliant: [{ name: "CMK", json: stack({ aws_sns_topic: { t: { kms_master_key_id: "${aws_kms_key.k.id}" } } }) }],
    noncompliant: [
      { name: "none", json: stack({ aws_sns_topic: { t: {} } }), message: /unencrypted/ },
      { name: "aws/sns", json: stack({ aws_sns_topic: { t: { kms_master_key_id: "alias/aws/sns" } } }), message: /CloudWatch, Budgets and Backup cannot/ },
    ],
  },
  "eks-secrets-encryption": {
    compliant: [{ name: "secrets with a key", json: stack({ aws_eks_cluster: { c: { encryption_config: { resources: ["secrets"], provider: { key_arn: "k" } } } } }) }],
    noncompliant: [{ name: "none", json: stack({ aws_eks_cluster: { c: {} } }), message: /no encryption_config/ }],
  },
  "ebs-encryption": {
    compliant: [
      { name: "encrypted root volume", json: stack({ aws_launch_template: { lt: { block_device_mappings: [{ device_name: "/dev/xvda", ebs: { encrypted: "true", kms_key_id: "k" } }] } } }) },
      { name: "encrypted volume", json: stack({ aws_ebs_volume: { v: { encrypted: true } } }) },
    ],
    noncompliant: [
      { name: "no mapping", json: stack({ aws_launch_template: { lt: {} } }), message: /follows the AMI/ },
      { name: "plain device", json: stack({ aws_launch_template: { lt: { block_device_mappings: [{ device_name: "/dev/xvdb", ebs: {} }] } } }), message: /\/dev\/xvdb/ },
    ],
  },
  "secretsmanager-encryption": {
    compliant: [{ name: "CMK", json: stack({ aws_secretsmanager_secret: { s: { kms_key_id: "k" } } }) }],
    noncompliant: [{ name: "default", json: stack({ aws_secretsmanager_secret: { s: {} } }), message: /aws\/secretsmanager/ }],
  },
  "ecr-encryption": {
    compliant: [{ name: "KMS with a key", json: stack({ aws_ecr_repository: { r: { encryption_configuration: [{ encryption_type: "KMS", kms_key: "k" }] } } }) }],
    noncompliant: [
      { name: "AES256 default", json: stack({ aws_ecr_repository: { r: {} } }), message: /AES256/ },
      { name: "KMS without key", json: stack({ aws_ecr_repository: { r: { encryption_configuration: [{ encryption_type: "KMS" }] } } }), message: /aws\/ecr/ },
    ],
  },
  "backup-vault-encryption": {
    compliant: [{ name: "CMK", json: stack({ aws_backup_vault: { v: { kms_key_arn: "k" } } }) }],
    noncompliant: [{ name: "default", json: stack({ aws_backup_vault: { v: {} } }), message: /aws\/backup/ }],
  },
  "s3-public-access-block": {
    compliant: [{ name: "all four", json: stack(bucket({ aws_s3_bucket_public_access_block: { p: { bucket: ref("aws_s3_bucket"), block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true } } })), target: "aws_s3_bucket.b" }],
    noncompliant: [
      { name: "none", json: stack(bucket()), message: /no aws_s3_bucket_public_access_block/ },
      { name: "one off", json: stack(bucket({ aws_s3_bucket_public_access_block: { p: { bucket: ref("aws_s3_bucket"), block_public_acls: true, block_public_policy: false, ignore_public_acls: true, restrict_public_buckets: true } } })), target: "aws_s3_bucket.b", message: /block_public_policy/ },
    ],
  },
  "security-group-open-ingress": {
    compliant: [
      { name: "between tiers", json: stack({ aws_vpc_security_group_ingress_rule: { r: { security_group_id: ref("aws_security_group", "db"), referenced_security_group_id: ref("aws_security_group", "nodes"), from_port: 5432, to_port: 5432, ip_protocol: "tcp" } } }) },
      {
        name: "443 from anywhere on the ALB group",
        json: stack({ aws_security_group: { alb: { name: "upskill-dev-alb" } }, aws_vpc_security_group_ingress_rule: { https: { security_group_id: ref("aws_security_group", "alb"), cidr_ipv4: "0.0.0.0/0", from_port: 443, to_port: 443, ip_protocol: "tcp" } } }),
        target: "aws_vpc_security_group_ingress_rule.https",
      },
    ],
    noncompliant: [
      {
        name: "443 from anywhere on the nodes' group",
        json: stack({ aws_security_group: { nodes: { name: "upskill-dev-nodes" } }, aws_vpc_security_group_ingress_rule: { r: { security_group_id: ref("aws_security_group", "nodes"), cidr_ipv4: "0.0.0.0/0", from_port: 443, to_port: 443, ip_protocol: "tcp" } } }),
        target: "aws_vpc_security_group_ingress_rule.r",
        message: /only the load balancer's group/,
      },
      { name: "SSH from ::/0", json: stack({ aws_vpc_security_group_ingress_rule: { r: { cidr_ipv6: "::/0", from_port: 22, to_port: 22, ip_protocol: "tcp" } } }), message: /tcp 22/ },
      { name: "inline all traffic", json: stack({ aws_security_group: { g: { name: "alb", ingress: [{ cidr_blocks: ["0.0.0.0/0"], from_port: 0, to_port: 0, protocol: "-1" }] } } }), message: /all traffic/ },
      { name: "legacy rule", json: stack({ aws_security_group_rule: { r: { type: "ingress", cidr_blocks: ["0.0.0.0/0"], from_port: 5432, to_port: 5432, protocol: "tcp" } } }), message: /tcp 5432/ },
    ],
  },
  "eks-public-endpoint": {
    compliant: [
      { name: "private", json: stack({ aws_eks_cluster: { c: { vpc_config: { endpoint_public_access: false } } } }) },
      { name: "restricted", json: stack({ aws_eks_cluster: { c: { vpc_config: { endpoint_public_access: true, public_access_cidrs: ["203.0.113.0/24"] } } } }) },
    ],
    noncompliant: [
      { name: "public by default", json: stack({ aws_eks_cluster: { c: { vpc_config: {} } } }), message: /open to 0.0.0.0\/0/ },
      { name: "open CIDR", json: stack({ aws_eks_cluster: { c: { vpc_config: { public_access_cidrs: ["0.0.0.0/0"] } } } }), message: /open to 0.0.0.0\/0/ },
    ],
  },
  "rds-not-public": {
    compliant: [{ name: "private", json: stack({ aws_db_instance: { p: { publicly_accessible: false } } }) }],
    noncompliant: [{ name: "public", json: stack({ aws_db_instance: { p: { publicly_accessible: true } } }), message: /publicly_accessible/ }],
  },
  "resource-policy-public-principal": {
    compliant: [{ name: "service principal with a condition", json: stack({ aws_sns_topic_policy: { p: { policy: policy([{ Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish", Resource: "*" }, { Effect: "Allow", Principal: "*", Action: "sns:Publish", Resource: "*", Condition: { StringEquals: { "aws:SourceAccount": "111111111111" } } }]) } } }) }],
    noncompliant: [
      { name: "public read", json: stack({ aws_s3_bucket_policy: { p: { policy: policy([{ Sid: "Public", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }]) } } }), message: /Public allows s3:GetObject to everyone/ },
      { name: "unreadable", json: stack({ aws_s3_bucket_policy: { p: { policy: "${var.policy}" } } }), message: /cannot verify/ },
    ],
  },
  "launch-template-imdsv2": {
    compliant: [{ name: "required", json: stack({ aws_launch_template: { lt: { metadata_options: { http_tokens: "required", http_put_response_hop_limit: 2 } } } }) }],
    noncompliant: [{ name: "optional", json: stack({ aws_launch_template: { lt: { metadata_options: { http_tokens: "optional" } } } }), message: /http_tokens/ }],
  },
  "alb-drop-invalid-headers": {
    compliant: [
      { name: "dropped", json: stack({ aws_lb: { a: { drop_invalid_header_fields: true } } }) },
      { name: "network LB", json: stack({ aws_lb: { n: { load_balancer_type: "network" } } }), status: "na" },
    ],
    noncompliant: [{ name: "kept", json: stack({ aws_lb: { a: {} } }), message: /drop_invalid_header_fields/ }],
  },
  "stateful-prevent-destroy": {
    compliant: [{ name: "prevent_destroy", json: stack({ aws_dynamodb_table: { t: { lifecycle: { prevent_destroy: true } } } }) }],
    noncompliant: [{ name: "missing", json: stack({ aws_kms_key: { k: {} } }), message: /everything encrypted with it becomes unreadable/ }],
  },
  "rds-deletion-protection": {
    compliant: [
      { name: "primary", json: stack({ aws_db_instance: { p: { deletion_protection: true, final_snapshot_identifier: "upskill-dev-final" } } }) },
      { name: "replica", json: stack({ aws_db_instance: { r: { deletion_protection: true, replicate_source_db: "p" } } }) },
    ],
    noncompliant: [
      { name: "unprotected", json: stack({ aws_db_instance: { p: { final_snapshot_identifier: "f" } } }), message: /deletion_protection is not true/ },
      { name: "skips the final snapshot", json: stack({ aws_db_instance: { p: { deletion_protection: true, skip_final_snapshot: true } } }), message: /skip_final_snapshot is true/ },
    ],
  },
  "dynamodb-deletion-protection": {
    compliant: [{ name: "on", json: stack({ aws_dynamodb_table: { t: { deletion_protection_enabled: true } } }) }],
    noncompliant: [{ name: "off", json: stack({ aws_dynamodb_table: { t: {} } }), message: /deletion_protection_enabled/ }],
  },
  "lb-deletion-protection": {
    compliant: [{ name: "on", json: stack({ aws_lb: { a: { enable_deletion_protection: true } } }) }],
    noncompliant: [{ name: "off", json: stack({ aws_lb: { a: {} } }), message: /enable_deletion_protection/ }],
  },
  "rds-backup-retention": {
    compliant: [
      { name: "7 days", json: stack({ aws_db_instance: { p: { backup_retention_period: 7 } } }) },
      { name: "replica", json: stack({ aws_db_instance: { r: { replicate_source_db: "p" } } }), status: "na" },
    ],
    noncompliant: [{ name: "none", json: stack({ aws_db_instance: { p: { backup_retention_period: 0 } } }), message: /no automated backups/ }],
  },
  "elasticache-snapshots": {
    compliant: [{ name: "1 day", json: stack({ aws_elasticache_replication_group: { c: { snapshot_retention_limit: 1 } } }) }],
    noncompliant: [{ name: "none", json: stack({ aws_elasticache_replication_group: { c: {} } }), message: /no snapshots/ }],
  },
  "s3-intelligent-tiering-readable": {
    compliant: [
      { name: "automatic tiers only (no tiering blocks)", json: stack({ aws_s3_bucket_intelligent_tiering_configuration: { t: { bucket: "b", name: "n", status: "Enabled", tiering: [] } } }) },
      { name: "disabled", json: stack({ aws_s3_bucket_intelligent_tiering_configuration: { t: { bucket: "b", name: "n", status: "Disabled", tiering: [{ access_tier: "ARCHIVE_ACCESS", days: 90 }] } } }) },
    ],
    noncompliant: [
      { name: "archive access", json: stack({ aws_s3_bucket_intelligent_tiering_configuration: { t: { bucket: "b", name: "n", status: "Enabled", tiering: [{ access_tier: "ARCHIVE_ACCESS", days: 90 }] } } }), message: /ARCHIVE_ACCESS: objects there are not readable/ },
      { name: "deep archive only (a single block)", json: stack({ aws_s3_bucket_intelligent_tiering_configuration: { t: { bucket: "b", name: "n", tiering: { access_tier: "DEEP_ARCHIVE_ACCESS", days: 180 } } } }), message: /DEEP_ARCHIVE_ACCESS/ },
    ],
  },
  "s3-bucket-versioning": {
    compliant: [{ name: "enabled", json: stack(bucket({ aws_s3_bucket_versioning: { v: { bucket: ref("aws_s3_bucket"), versioning_configuration: { status: "Enabled" } } } })), target: "aws_s3_bucket.b" }],
    noncompliant: [
      { name: "none", json: stack(bucket()), message: /no aws_s3_bucket_versioning/ },
      { name: "suspended", json: stack(bucket({ aws_s3_bucket_versioning: { v: { bucket: ref("aws_s3_bucket"), versioning_configuration: { status: "Suspended" } } } })), target: "aws_s3_bucket.b", message: /Suspended/ },
      // a bucket whose name starts like another's must not borrow its versioning
      { name: "another bucket's versioning", json: stack({ ...bucket(), aws_s3_bucket: { b: {}, b_replica: {} }, aws_s3_bucket_versioning: { v: { bucket: ref("aws_s3_bucket", "b_replica"), versioning_configuration: { status: "Enabled" } } } }), target: "aws_s3_bucket.b", message: /no aws_s3_bucket_versioning/ },
    ],
  },
  "dynamodb-point-in-time-recovery": {
    compliant: [{ name: "on", json: stack({ aws_dynamodb_table: { t: { point_in_time_recovery: { enabled: true } } } }) }],
    noncompliant: [{ name: "off", json: stack({ aws_dynamodb_table: { t: {} } }), message: /point_in_time_recovery/ }],
  },
  "s3-bucket-tls-only": {
    compliant: [
      { name: "policy document denies non-TLS", json: stack(bucket({ aws_s3_bucket_policy: { p: { bucket: ref("aws_s3_bucket"), policy: "${data.aws_iam_policy_document.tls.json}" } } }), tlsDoc), target: "aws_s3_bucket.b" },
      {
        name: "jsonencode policy denies non-TLS",
        json: stack(bucket({ aws_s3_bucket_policy: { p: { bucket: ref("aws_s3_bucket"), policy: '${jsonencode({"Version" = "2012-10-17", "Statement" = [{"Effect" = "Deny", "Principal" = "*", "Action" = "s3:*", "Resource" = [aws_s3_bucket.b.arn, "${aws_s3_bucket.b.arn}/*"], "Condition" = {"Bool" = {"aws:SecureTransport" = "false"}}}]})}' } } })),
        target: "aws_s3_bucket.b",
      },
    ],
    noncompliant: [
      { name: "no policy", json: stack(bucket()), message: /no aws_s3_bucket_policy/ },
      { name: "policy without the deny", json: stack(bucket({ aws_s3_bucket_policy: { p: { bucket: ref("aws_s3_bucket"), policy: policy([{ Effect: "Allow", Principal: { Service: "logging.s3.amazonaws.com" }, Action: "s3:PutObject", Resource: "*" }]) } } })), target: "aws_s3_bucket.b", message: /no Deny on aws:SecureTransport/ },
    ],
  },
  "lb-listener-tls": {
    compliant: [
      { name: "HTTPS TLS 1.3 policy", json: stack({ aws_lb_listener: { l: { port: 443, protocol: "HTTPS", certificate_arn: "c", ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06" } } }) },
      { name: "HTTP redirect", json: stack({ aws_lb_listener: { l: { port: 80, protocol: "HTTP", default_action: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }] } } }) },
    ],
    noncompliant: [
      { name: "old policy", json: stack({ aws_lb_listener: { l: { protocol: "HTTPS", certificate_arn: "c", ssl_policy: "ELBSecurityPolicy-2016-08" } } }), message: /not a TLS 1.2\+ policy/ },
      { name: "HTTP forward", json: stack({ aws_lb_listener: { l: { port: 80, protocol: "HTTP", default_action: [{ type: "forward", target_group_arn: "t" }] } } }), message: /does not only redirect/ },
    ],
  },
  "cloudfront-tls": {
    compliant: [{ name: "TLS 1.2 2021, redirect", json: stack({ aws_cloudfront_distribution: { d: { viewer_certificate: { acm_certificate_arn: "c", minimum_protocol_version: "TLSv1.2_2021" }, default_cache_behavior: { viewer_protocol_policy: "redirect-to-https" }, origin: [{ origin_id: "alb", custom_origin_config: { origin_protocol_policy: "https-only", origin_ssl_protocols: ["TLSv1.2"] } }] } } }) }],
    noncompliant: [
      { name: "default certificate", json: stack({ aws_cloudfront_distribution: { d: { viewer_certificate: { cloudfront_default_certificate: true }, default_cache_behavior: { viewer_protocol_policy: "redirect-to-https" } } } }), message: /TLS 1.0/ },
      { name: "allow-all and an HTTP origin", json: stack({ aws_cloudfront_distribution: { d: { viewer_certificate: { minimum_protocol_version: "TLSv1.2_2021" }, default_cache_behavior: { viewer_protocol_policy: "allow-all" }, origin: [{ origin_id: "o", custom_origin_config: { origin_protocol_policy: "http-only", origin_ssl_protocols: ["TLSv1.2"] } }] } } }), message: /allow-all on default; origin o: origin_protocol_policy http-only/ },
    ],
  },
  "rds-force-ssl": {
    compliant: [
      { name: "explicit", json: stack({ aws_db_parameter_group: { g: { family: "postgres14", parameter: [{ name: "rds.force_ssl", value: "1" }] } } }) },
      { name: "default on 17", json: stack({ aws_db_parameter_group: { g: { family: "postgres17" } } }) },
    ],
    noncompliant: [
      { name: "turned off", json: stack({ aws_db_parameter_group: { g: { family: "postgres17", parameter: [{ name: "rds.force_ssl", value: "0" }] } } }), message: /rds.force_ssl = 0/ },
      { name: "old default", json: stack({ aws_db_parameter_group: { g: { family: "postgres14" } } }), message: /defaults to 0/ },
    ],
  },
  "iam-no-wildcard-admin": {
    compliant: [
      { name: "scoped policy", json: stack({ aws_iam_policy: { p: { policy: policy([{ Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*" }]) } } }) },
      { name: "KMS key policy root statement", json: stack({ aws_kms_key: { k: { policy: policy([{ Sid: "Root", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "kms:*", Resource: "*" }]) } } }) },
      { name: "policy document with a scoped statement", json: stack({ aws_iam_role_policy: { p: { policy: "${data.aws_iam_policy_document.d.json}" } } }, { aws_iam_policy_document: { d: { statement: [{ actions: ["ec2:DescribeInstances"], resources: ["*"] }] } } }) },
    ],
    noncompliant: [
      { name: "admin", json: stack({ aws_iam_policy: { p: { policy: policy([{ Sid: "All", Effect: "Allow", Action: "*", Resource: "*" }]) } } }), message: /statement All allows "\*" on "\*"/ },
      { name: "NotAction", json: stack({ aws_iam_role: { r: { inline_policy: [{ name: "x", policy: policy([{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }]) }] } } }), message: /inline_policy x: .*NotAction/ },
      { name: "jsonencode admin", json: stack({ aws_iam_policy: { p: { policy: '${jsonencode({"Statement" = [{"Effect" = "Allow", "Action" = "*", "Resource" = "*"}]})}' } } }), message: /allows "\*" on "\*"/ },
      { name: "unreadable", json: stack({ aws_iam_policy: { p: { policy: "${file(\"p.json\")}" } } }), message: /write it as JSON or an aws_iam_policy_document/ },
    ],
  },
  "iam-service-wildcard": {
    compliant: [{ name: "specific actions", json: stack({ aws_iam_policy: { p: { policy: policy([{ Effect: "Allow", Action: ["ec2:Describe*"], Resource: "*" }]) } } }) }],
    noncompliant: [{ name: "s3:* on *", json: stack({ aws_iam_policy: { p: { policy: policy([{ Sid: "S3", Effect: "Allow", Action: ["s3:*"], Resource: "*" }]) } } }), message: /S3 allows s3:\* on "\*"/, status: "warn" }],
  },
  "iam-oidc-trust-scoped": {
    compliant: [
      { name: "GitHub repository and environment", json: stack({ aws_iam_role: { r: { assume_role_policy: githubTrust(["repo:upskill-learning/platform:environment:prod"]) } } }) },
      { name: "service principal", json: stack({ aws_iam_role: { r: { assume_role_policy: policy([{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "eks.amazonaws.com" } }]) } } }) },
    ],
    noncompliant: [
      { name: "any repository", json: stack({ aws_iam_role: { r: { assume_role_policy: githubTrust("repo:*") } } }), message: /match too much/ },
      { name: "no audience", json: stack({ aws_iam_role: { r: { assume_role_policy: githubTrust("repo:o/r:ref:refs/heads/main", false) } } }), message: /without an :aud condition/ },
      { name: "everyone", json: stack({ aws_iam_role: { r: { assume_role_policy: policy([{ Sid: "Any", Effect: "Allow", Action: "sts:AssumeRole", Principal: { AWS: "*" } }]) } } }), message: /Any trusts everyone/ },
    ],
  },
  "iam-no-admin-managed-policy": {
    compliant: [{ name: "read-only", json: stack({ aws_iam_role_policy_attachment: { a: { policy_arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" } } }) }],
    noncompliant: [{ name: "admin", json: stack({ aws_iam_role_policy_attachment: { a: { policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" } } }), message: /AdministratorAccess/ }],
  },
  "alb-access-logs": {
    compliant: [{ name: "on", json: stack({ aws_lb: { a: { access_logs: { enabled: true, bucket: "logs" } } } }) }],
    noncompliant: [{ name: "off", json: stack({ aws_lb: { a: {} } }), message: /access_logs/ }],
  },
  "cloudfront-logging": {
    compliant: [{ name: "standard logging", json: stack({ aws_cloudfront_distribution: { d: { logging_config: { bucket: "logs.s3.amazonaws.com" } } } }) }],
    noncompliant: [{ name: "none", json: stack({ aws_cloudfront_distribution: { d: {} } }), message: /no logging_config/ }],
  },
  "eks-control-plane-logs": {
    compliant: [{ name: "all", json: stack({ aws_eks_cluster: { c: { enabled_cluster_log_types: ["api", "audit", "authenticator", "controllerManager", "scheduler"] } } }) }],
    noncompliant: [{ name: "audit only", json: stack({ aws_eks_cluster: { c: { enabled_cluster_log_types: ["audit"] } } }), message: /api, authenticator, controllerManager, scheduler/ }],
  },
  "backup-plan-retention": {
    compliant: [
      { name: "daily with a copy, both kept 35 days", json: stack({ aws_backup_plan: { p: { rule: [{ rule_name: "daily", lifecycle: { delete_after: 35 }, copy_action: [{ destination_vault_arn: "v", lifecycle: { delete_after: 35 } }] }] } } }) },
    ],
    noncompliant: [
      { name: "no rule", json: stack({ aws_backup_plan: { p: { rule: [] } } }), message: /no rule/ },
      { name: "kept forever", json: stack({ aws_backup_plan: { p: { rule: [{ rule_name: "daily" }] } } }), message: /daily: no lifecycle.delete_after/ },
      { name: "copy kept forever", json: stack({ aws_backup_plan: { p: { rule: [{ rule_name: "weekly", lifecycle: { delete_after: 90 }, copy_action: [{ destination_vault_arn: "v" }] }] } } }), message: /weekly: a copy without/ },
    ],
  },
  "eks-node-group-launch-template": {
    compliant: [
      { name: "template and ignored desired size", json: stack({ aws_eks_node_group: { g: { launch_template: { id: "${aws_launch_template.t.id}", version: "${aws_launch_template.t.latest_version}" }, lifecycle: { ignore_changes: ["scaling_config[0].desired_size"] } } } }) },
    ],
    noncompliant: [
      { name: "no template", json: stack({ aws_eks_node_group: { g: { lifecycle: { ignore_changes: ["scaling_config[0].desired_size"] } } } }), message: /no launch_template/ },
      { name: "no version", json: stack({ aws_eks_node_group: { g: { launch_template: { id: "t" }, lifecycle: { ignore_changes: ["scaling_config[0].desired_size"] } } } }), message: /no version/ },
      { name: "desired size managed", json: stack({ aws_eks_node_group: { g: { launch_template: { id: "t", version: "1" } } } }), message: /undo the autoscaler/ },
    ],
  },
  "waf-web-acl-protections": {
    compliant: [{ name: "managed groups, rate limit, metrics, logging", json: wafAcl() }],
    noncompliant: [
      { name: "missing a managed group", json: wafAcl({ groups: ["AWSManagedRulesCommonRuleSet"] }), message: /missing AWS managed rule groups: AWSManagedRulesKnownBadInputsRuleSet, AWSManagedRulesAmazonIpReputationList/ },
      { name: "no rate limit", json: wafAcl({ rate: false }), message: /no rate-based rule/ },
      { name: "metrics off", json: wafAcl({ metrics: false }), message: /metrics or sampled requests off/ },
      { name: "no logging", json: wafAcl({ logging: false }), message: /no aws_wafv2_web_acl_logging_configuration/ },
    ],
  },
  "route53-health-check-https": {
    compliant: [
      { name: "HTTPS with SNI", json: stack({ aws_route53_health_check: { h: { type: "HTTPS", enable_sni: true, fqdn: "api.example.com", resource_path: "/healthz" } } }) },
      { name: "calculated", json: stack({ aws_route53_health_check: { h: { type: "CALCULATED" } } }) },
    ],
    noncompliant: [
      { name: "plain HTTP", json: stack({ aws_route53_health_check: { h: { type: "HTTP" } } }), message: /type HTTP/ },
      { name: "no SNI", json: stack({ aws_route53_health_check: { h: { type: "HTTPS" } } }), message: /enable_sni/ },
    ],
  },
  "lb-target-group-health-check": {
    compliant: [{ name: "HTTP path", json: stack({ aws_lb_target_group: { t: { health_check: { enabled: true, protocol: "HTTP", path: "/healthz" } } } }) }],
    noncompliant: [
      { name: "no block", json: stack({ aws_lb_target_group: { t: {} } }), message: /no health_check block/ },
      { name: "disabled", json: stack({ aws_lb_target_group: { t: { health_check: { enabled: false } } } }), message: /enabled is false/ },
      { name: "no path", json: stack({ aws_lb_target_group: { t: { health_check: { protocol: "HTTP" } } } }), message: /no health_check.path/ },
    ],
  },
  "acm-dns-validation": {
    compliant: [{ name: "DNS, create before destroy", json: stack({ aws_acm_certificate: { c: { domain_name: "x.example.com", validation_method: "DNS", lifecycle: { create_before_destroy: true } } } }) }],
    noncompliant: [
      { name: "e-mail validation", json: stack({ aws_acm_certificate: { c: { validation_method: "EMAIL", lifecycle: { create_before_destroy: true } } } }), message: /EMAIL/ },
      { name: "destroy first", json: stack({ aws_acm_certificate: { c: { validation_method: "DNS" } } }), message: /create_before_destroy/ },
      { name: "imported", json: stack({ aws_acm_certificate: { c: { private_key: "${var.k}", validation_method: "DNS" } } }), message: /imported/ },
    ],
  },
  "vpc-flow-logs": {
    compliant: [{ name: "flow log", json: stack({ aws_vpc: { v: {} }, aws_flow_log: { f: { vpc_id: "${aws_vpc.v.id}", traffic_type: "ALL" } } }), target: "aws_vpc.v" }],
    noncompliant: [{ name: "none", json: stack({ aws_vpc: { v: {} } }), message: /no aws_flow_log/ }],
  },
};

const firstResource = (json: StackJson) => {
  const [type, byName] = Object.entries(json.resource ?? {})[0]!;
  return `${type}.${Object.keys(byName)[0]}`;
};

describe("policy rules", () => {
  test("one rule per file, each in the index, ids matching file names", () => {
    const files = fs.readdirSync(path.join(REPO_ROOT, "tools", "policy", "rules")).filter((f) => f.endsWith(".ts") && f !== "index.ts").map((f) => f.slice(0, -3));
    expect(RULES.map((r) => r.id).sort()).toEqual(files.sort());
  });

  test("every rule is described and applies to something", () => {
    for (const r of RULES) {
      expect(r.description.length).toBeGreaterThan(20);
      expect(r.appliesTo.length).toBeGreaterThan(0);
    }
  });

  test("every rule has compliant and non-compliant cases here", () => {
    expect(Object.keys(CASES).sort()).toEqual(RULES.map((r) => r.id).sort());
    for (const c of Object.values(CASES)) {
      expect(c.compliant.length).toBeGreaterThan(0);
      expect(c.noncompliant.length).toBeGreaterThan(0);
    }
  });

  for (const rule of RULES) {
    describe(rule.id, () => {
      const cases = CASES[rule.id];
      if (!cases) return;
      test.each(cases.compliant.map((c) => [c.name, c] as const))("accepts: %s", (_n, c) => {
        expect(verdict(rule, c.json, c.target ?? firstResource(c.json)).status).toBe(c.status ?? "pass");
      });
      test.each(cases.noncompliant.map((c) => [c.name, c] as const))("rejects: %s", (_n, c) => {
        const v = verdict(rule, c.json, c.target ?? firstResource(c.json));
        expect(v.status).toBe(c.status ?? (rule.level === "error" ? "fail" : "warn"));
        expect(v.message).toMatch(c.message!);
      });
    });
  }
});
