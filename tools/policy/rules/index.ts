/** Every policy rule, one per file in this folder (a test checks that none is left out). */
import type { Rule } from "../types";
import { rule as wafWebAclProtections } from "./waf-web-acl-protections";
import { rule as route53HealthCheckHttps } from "./route53-health-check-https";
import { rule as lbTargetGroupHealthCheck } from "./lb-target-group-health-check";
import { rule as acmDnsValidation } from "./acm-dns-validation";
import { rule as albAccessLogs } from "./alb-access-logs";
import { rule as albDropInvalidHeaders } from "./alb-drop-invalid-headers";
import { rule as backupPlanRetention } from "./backup-plan-retention";
import { rule as backupVaultEncryption } from "./backup-vault-encryption";
import { rule as cloudfrontLogging } from "./cloudfront-logging";
import { rule as cloudfrontTls } from "./cloudfront-tls";
import { rule as dynamodbDeletionProtection } from "./dynamodb-deletion-protection";
import { rule as dynamodbEncryption } from "./dynamodb-encryption";
import { rule as dynamodbPointInTimeRecovery } from "./dynamodb-point-in-time-recovery";
import { rule as ebsEncryption } from "./ebs-encryption";
import { rule as ecrEncryption } from "./ecr-encryption";
import { rule as eksControlPlaneLogs } from "./eks-control-plane-logs";
import { rule as eksNodeGroupLaunchTemplate } from "./eks-node-group-launch-template";
import { rule as eksPublicEndpoint } from "./eks-public-endpoint";
import { rule as eksSecretsEncryption } from "./eks-secrets-encryption";
import { rule as elasticacheEncryptionAtRest } from "./elasticache-encryption-at-rest";
import { rule as elasticacheInTransitEncryption } from "./elasticache-in-transit-encryption";
import { rule as elasticacheSnapshots } from "./elasticache-snapshots";
import { rule as iamNoAdminManagedPolicy } from "./iam-no-admin-managed-policy";
import { rule as iamNoWildcardAdmin } from "./iam-no-wildcard-admin";
import { rule as iamOidcTrustScoped } from "./iam-oidc-trust-scoped";
import { rule as iamServiceWildcard } from "./iam-service-wildcard";
import { rule as kmsKeyRotation } from "./kms-key-rotation";
import { rule as launchTemplateImdsv2 } from "./launch-template-imdsv2";
import { rule as lbDeletionProtection } from "./lb-deletion-protection";
import { rule as lbListenerTls } from "./lb-listener-tls";
import { rule as logGroupEncryption } from "./log-group-encryption";
import { rule as logGroupRetention } from "./log-group-retention";
import { rule as rdsBackupRetention } from "./rds-backup-retention";
import { rule as rdsDeletionProtection } from "./rds-deletion-protection";
import { rule as rdsForceSsl } from "./rds-force-ssl";
import { rule as rdsNotPublic } from "./rds-not-public";
import { rule as rdsStorageEncrypted } from "./rds-storage-encrypted";
import { rule as resourcePolicyPublicPrincipal } from "./resource-policy-public-principal";
import { rule as s3BucketEncryption } from "./s3-bucket-encryption";
import { rule as s3BucketTlsOnly } from "./s3-bucket-tls-only";
import { rule as s3BucketVersioning } from "./s3-bucket-versioning";
import { rule as s3IntelligentTieringReadable } from "./s3-intelligent-tiering-readable";
import { rule as s3PublicAccessBlock } from "./s3-public-access-block";
import { rule as secretsmanagerEncryption } from "./secretsmanager-encryption";
import { rule as securityGroupOpenIngress } from "./security-group-open-ingress";
import { rule as snsTopicEncryption } from "./sns-topic-encryption";
import { rule as statefulPreventDestroy } from "./stateful-prevent-destroy";
import { rule as vpcFlowLogs } from "./vpc-flow-logs";

export const RULES: readonly Rule[] = [
  wafWebAclProtections,
  route53HealthCheckHttps,
  lbTargetGroupHealthCheck,
  acmDnsValidation,
  albAccessLogs,
  albDropInvalidHeaders,
  backupPlanRetention,
  backupVaultEncryption,
  cloudfrontLogging,
  cloudfrontTls,
  dynamodbDeletionProtection,
  dynamodbEncryption,
  dynamodbPointInTimeRecovery,
  ebsEncryption,
  ecrEncryption,
  eksControlPlaneLogs,
  eksNodeGroupLaunchTemplate,
  eksPublicEndpoint,
  eksSecretsEncryption,
  elasticacheEncryptionAtRest,
  elasticacheInTransitEncryption,
  elasticacheSnapshots,
  iamNoAdminManagedPolicy,
  iamNoWildcardAdmin,
  iamOidcTrustScoped,
  iamServiceWildcard,
  kmsKeyRotation,
  launchTemplateImdsv2,
  lbDeletionProtection,
  lbListenerTls,
  logGroupEncryption,
  logGroupRetention,
  rdsBackupRetention,
  rdsDeletionProtection,
  rdsForceSsl,
  rdsNotPublic,
  rdsStorageEncrypted,
  resourcePolicyPublicPrincipal,
  s3BucketEncryption,
  s3BucketTlsOnly,
  s3BucketVersioning,
  s3IntelligentTieringReadable,
  s3PublicAccessBlock,
  secretsmanagerEncryption,
  securityGroupOpenIngress,
  snsTopicEncryption,
  statefulPreventDestroy,
  vpcFlowLogs,
];
