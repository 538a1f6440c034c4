import { createHash } from "node:crypto";

/**
 * Deterministic stand-ins for the values a real provider learns from AWS at
 * apply: the same resource configuration gives the same values on every run,
 * so two rehearsals (and their plans) compare.
 */
export interface FakeContext {
  /** The resource or data source type, e.g. aws_iam_role. */
  readonly type: string;
  /** A stable identity of the object: a hash of its planned configuration. */
  readonly seed: string;
  readonly region: string;
  readonly accountId: string;
  /** The object's own name in configuration (name, bucket, ...), if any. */
  readonly name?: string;
}

export const DEFAULT_REGION = "eu-west-1";
export const DEFAULT_ACCOUNT_ID = "111111111111";

/** 8 hex digits derived from the object and the attribute path. */
export function stableHex(ctx: FakeContext, path: string, length = 8): string {
  return createHash("sha256").update(`${ctx.type}\0${ctx.seed}\0${path}`).digest("hex").slice(0, length);
}

/** Services whose ARNs carry neither region nor account (arn:aws:s3:::bucket). */
const GLOBAL_ARN_SERVICES = new Set(["s3", "route53"]);
/** Services whose ARNs carry no region (arn:aws:iam::111111111111:role/x). */
const REGIONLESS_ARN_SERVICES = new Set(["iam", "cloudfront", "wafv2-global", "organizations"]);

/** The ARN service and resource part for a resource type: arn:aws:<service>:<region>:<account>:<resource>. */
const ARN_SHAPES: Record<string, (name: string, hex: string) => [service: string, resource: string]> = {
  aws_iam_role: (n) => ["iam", `role/${n}`],
  aws_iam_policy: (n) => ["iam", `policy/${n}`],
  aws_iam_openid_connect_provider: (_, h) => ["iam", `oidc-provider/token.actions.githubusercontent.com/${h}`],
  aws_iam_instance_profile: (n) => ["iam", `instance-profile/${n}`],
  aws_s3_bucket: (n) => ["s3", n],
  aws_kms_key: (_, h) => ["kms", `key/${h}-0000-4000-8000-000000000000`],
  aws_kms_alias: (n) => ["kms", n.startsWith("alias/") ? n : `alias/${n}`],
  aws_sns_topic: (n) => ["sns", n],
  aws_sqs_queue: (n) => ["sqs", n],
  aws_cloudwatch_log_group: (n) => ["logs", `log-group:${n}`],
  aws_db_instance: (n) => ["rds", `db:${n}`],
  aws_db_parameter_group: (n) => ["rds", `pg:${n}`],
  aws_db_subnet_group: (n) => ["rds", `subgrp:${n}`],
  aws_elasticache_replication_group: (n) => ["elasticache", `replicationgroup:${n}`],
  aws_elasticache_user: (n) => ["elasticache", `user:${n}`],
  aws_elasticache_user_group: (n) => ["elasticache", `usergroup:${n}`],
  aws_eks_cluster: (n) => ["eks", `cluster/${n}`],
  aws_eks_node_group: (n, h) => ["eks", `nodegroup/cluster/${n}/${h}`],
  aws_lb: (n, h) => ["elasticloadbalancing", `loadbalancer/app/${n}/${h}`],
  aws_lb_target_group: (n, h) => ["elasticloadbalancing", `targetgroup/${n}/${h}`],
  aws_lb_listener: (n, h) => ["elasticloadbalancing", `listener/app/${n}/${h}`],
  aws_acm_certificate: (_, h) => ["acm", `certificate/${h}-0000-4000-8000-000000000000`],
  aws_route53_zone: (_, h) => ["route53", `hostedzone/Z${h.toUpperCase()}`],
  aws_cloudfront_distribution: (_, h) => ["cloudfront", `distribution/E${h.toUpperCase()}`],
  aws_ecr_repository: (n) => ["ecr", `repository/${n}`],
  aws_backup_vault: (n) => ["backup", `backup-vault:${n}`],
  aws_backup_plan: (_, h) => ["backup", `backup-plan:${h}`],
  aws_dynamodb_table: (n) => ["dynamodb", `table/${n}`],
  aws_wafv2_web_acl: (n, h) => ["wafv2", `regional/webacl/${n}/${h}`],
  aws_vpc: (_, h) => ["ec2", `vpc/vpc-${h}`],
  aws_subnet: (_, h) => ["ec2", `subnet/subnet-${h}`],
  aws_security_group: (_, h) => ["ec2", `security-group/sg-${h}`],
  aws_launch_template: (_, h) => ["ec2", `launch-template/lt-${h}`],
};

/** The service part of the ARN of a type with no shape above: aws_<service>_<rest>. */
function serviceOf(type: string): string {
  return type.split("_")[1] ?? "fake";
}

export function fakeArn(ctx: FakeContext, path: string): string {
  const hex = stableHex(ctx, path);
  const name = ctx.name ?? `${ctx.type.replace(/^aws_/, "").replace(/_/g, "-")}-${hex}`;
  const shape = ARN_SHAPES[ctx.type];
  const [service, resource] = shape ? shape(name, hex) : [serviceOf(ctx.type), `${ctx.type.split("_").slice(2).join("-") || "resource"}/${name}`];
  if (GLOBAL_ARN_SERVICES.has(service)) return `arn:aws:${service}:::${resource}`;
  if (REGIONLESS_ARN_SERVICES.has(service)) return `arn:aws:${service}::${ctx.accountId}:${resource}`;
  return `arn:aws:${service}:${ctx.region}:${ctx.accountId}:${resource}`;
}

/** A string for attribute `name` (the last step of `path`) that has the shape users of it expect. */
export function fakeString(ctx: FakeContext, name: string, path: string): string {
  const hex = stableHex(ctx, path);
  if (name === "arn" || name.endsWith("_arn")) return fakeArn(ctx, path);
  if (name === "id") return ctx.name ?? `${ctx.type.replace(/^aws_/, "").replace(/_/g, "-")}-${hex}`;
  if (name === "account_id" || name.endsWith("_account_id") || name === "owner_id") return ctx.accountId;
  if (name === "region") return ctx.region;
  if (/(^|_)zone_id$/.test(name) || name === "hosted_zone_id") return `Z${hex.toUpperCase()}`;
  if (/(^|_)(data|base64|certificate|certificate_authority)$|token$/.test(name)) return Buffer.from(`fake-${name}-${hex}`).toString("base64");
  if (/(^|_)(endpoint|url|issuer)$/.test(name)) return `https://fake-${hex}.example.com`;
  if (/cidr/.test(name)) return "10.0.0.0/16";
  if (/(^|_)version$/.test(name)) return "1.0.0";
  if (/(^|_)(dns_name|domain_name|fqdn|hostname|address)$/.test(name)) return `fake-${hex}.example.com`;
  if (/(^|_)ip$|_ip_address$/.test(name)) return "10.0.0.10";
  if (/(^|_)(json|policy)$/.test(name)) return "{}";
  return `fake-${name}-${hex}`;
}
