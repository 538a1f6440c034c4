/**
 * Resource types that no policy rule checks, each with the reason none is
 * needed. Together with the rules' `appliesTo`, this is the policy decision
 * for every type the app synthesizes: a test fails on a type that has neither.
 */
export const NO_RULE_NEEDED: Readonly<Record<string, string>> = {
  // Parts of a bucket: the bucket rules (s3-*) check them through the bucket they configure.
  aws_s3_bucket_versioning: "checked through its bucket by s3-bucket-versioning",
  aws_s3_bucket_server_side_encryption_configuration: "checked through its bucket by s3-bucket-encryption",
  aws_s3_bucket_public_access_block: "checked through its bucket by s3-public-access-block",
  aws_s3_bucket_ownership_controls: "object ownership; ACL use is checked through the bucket's public access block and policy",
  aws_s3_bucket_lifecycle_configuration: "cost and retention housekeeping; no security or data-loss baseline depends on it",
  // Network plumbing: exposure is decided by security groups and NACL contents, checked by security-group-open-ingress and the network policy tests.
  aws_subnet: "placement only; public exposure is governed by security groups (checked) and route tables",
  aws_route_table: "routing; the data tier's lack of an internet route is asserted by __tests__/policy/network.test.ts",
  aws_route: "routing; see aws_route_table",
  aws_route_table_association: "routing; see aws_route_table",
  aws_default_route_table: "taken over by Terraform and left without routes so nothing uses it by accident",
  aws_default_network_acl: "taken over by Terraform and left without rules (denies all)",
  aws_default_security_group: "taken over by Terraform and left without rules (denies all)",
  aws_network_acl: "stateless second layer behind the security groups; its rules are asserted by the network module tests",
  aws_network_acl_rule: "see aws_network_acl",
  aws_internet_gateway: "required for the public tier; what is reachable is decided by security groups",
  aws_nat_gateway: "outbound only; nothing can be reached through it",
  aws_eip: "addresses of the NAT gateways",
  aws_vpc_endpoint: "private connectivity to AWS services; reachable only from the VPC through the endpoints security group",
  aws_vpc_security_group_egress_rule: "egress; the baselines restrict ingress (security-group-open-ingress)",
  aws_flow_log: "is itself a control: vpc-flow-logs checks that every VPC has one",
  aws_kms_alias: "a name for a key; the key is checked by kms-key-rotation and stateful-prevent-destroy",
  // Edge (issue 13): the origin secret's slots and rotation counters (modules/cdn/origin-secret.ts).
  terraform_data: "no infrastructure: Terraform-generated values in state only, sensitive; that no secret is in the JSON is asserted by __tests__/stacks/edge-stack.test.ts",
  aws_iam_openid_connect_provider: "trust anchor only; the roles trusting it are checked by iam-oidc-trust-scoped",
  // Cluster layer.
  // CI runners (modules/ci-runner, docs/ci-runners.md).
  aws_codebuild_project: "the CI runner project: private subnets, no ingress, no privileged mode, its encrypted log group and least-privilege role are asserted by __tests__/modules/ci-runner.test.ts and the IAM suite",
  aws_codebuild_webhook: "starts a runner build for queued GitHub Actions jobs only (WORKFLOW_JOB_QUEUED), asserted by __tests__/modules/ci-runner.test.ts",
  aws_codeconnections_connection: "a handle on the GitHub App installation (no secret in state); who may use it is the runner role's policy, checked by the IAM suite",
  aws_autoscaling_group_tag: "scale-from-zero hints for the cluster-autoscaler; no security or data setting",
  aws_backup_selection: "what the plan backs up; the plan's retention is checked by backup-plan-retention and the volume tag by __tests__/policy/cluster.test.ts",
  aws_eks_access_entry: "who may use the cluster; the roles it names are this code's (admin roles from config, the CI deploy role), asserted by the cluster module tests",
  aws_eks_access_policy_association: "see aws_eks_access_entry",
  aws_eks_addon: "managed add-ons run AWS's images; their roles are checked by the IAM rules and the pod-identity trust test",
  // Platform layer (Kubernetes objects): checked by __tests__/policy/platform.test.ts and the module tests.
  helm_release: "pinned chart versions and atomic releases are asserted by __tests__/policy/platform.test.ts; the add-ons' IAM roles are checked as aws_iam_role",
  kubernetes_manifest: "the load balancer controller's CRDs, applied unchanged from its chart (modules/helm-addon/aws-load-balancer-controller)",
  kubernetes_storage_class_v1: "the default class's KMS encryption and backup tag are asserted by __tests__/policy/platform.test.ts",
  kubernetes_annotations: "only marks EKS's gp2 class as not the default; no data or exposure depends on it",
  // App layer (and every WorkloadRole).
  aws_eks_pod_identity_association: "binds one service account to its role; the role's trust (that namespace and service account only) and policy are checked as aws_iam_role and by __tests__/policy/app.test.ts",
  aws_ecr_lifecycle_policy: "image expiry housekeeping; that every repository has one is asserted by __tests__/policy/app.test.ts",
  kubernetes_namespace_v1: "the app's namespace; its restricted pod security labels are asserted by the app stack tests",
  kubernetes_cluster_role_v1: "the CI planners' read access (modules/planner-access): no Secrets cluster-wide, asserted by __tests__/modules/planner-access.test.ts",
  kubernetes_cluster_role_binding_v1: "binds the CI planners' group to its read-only cluster role (modules/planner-access)",
  kubernetes_role_binding_v1: "lets the CI planners read Helm's release Secrets in one release namespace (modules/planner-access)",
  kubernetes_job_v1: "the database provisioning job; that it alone reads the master secret is proven by the IAM suite (__tests__/iam) and the app stack tests",
  kubernetes_service_account_v1: "the provisioning and dump jobs' service accounts; their Pod Identity roles are checked as aws_iam_role, by the IAM suite and by __tests__/modules/database-dump.test.ts",
  // Data layer.
  aws_s3_bucket_metric: "request metrics of the dumps' prefix, read by the missed-dump alarm; no data or exposure setting",
  aws_db_instance_automated_backups_replication: "is itself a control (the database's backups in the DR region); required in production by the config rule data.postgres.drBackupRetentionDays and asserted by __tests__/stacks/data-stack.test.ts",
  // Cluster layer: AWS Backup.
  aws_backup_vault_lock_configuration: "is itself a control (governance-mode lock on each vault); asserted on every vault by __tests__/policy/data.test.ts",
  // App layer: the database dump job.
  kubernetes_cron_job_v1: "the nightly pg_dump; its restricted security context and placement are asserted by __tests__/modules/database-dump.test.ts (the namespace enforces the restricted standard)",
  aws_db_subnet_group: "placement in the data subnets; exposure is checked by rds-not-public and the security-group rules",
  aws_elasticache_subnet_group: "placement in the data subnets; see aws_db_subnet_group",
  aws_elasticache_parameter_group: "engine tuning; encryption and failover are settings of the replication group (checked)",
  aws_elasticache_user: "IAM-authenticated, passwordless users; the no-secret scan (__tests__/policy/data.test.ts) checks for literals",
  aws_elasticache_user_group: "see aws_elasticache_user",
  aws_s3_bucket_cors_configuration: "browser upload origins from config (https only, a config rule); no data-loss or exposure setting",
  aws_s3_bucket_logging: "is itself a control; which buckets log is asserted by __tests__/policy/buckets.test.ts",
  aws_s3_bucket_replication_configuration: "is itself a control; replicas versioned and encrypted in the DR region are asserted by __tests__/policy/buckets.test.ts",
  // Edge layer.
  aws_acm_certificate_validation: "waits for validation; the certificate is checked by acm-dns-validation",
  aws_cloudfront_origin_access_control: "signing of origin requests (always, SigV4), asserted by __tests__/policy/edge.test.ts",
  aws_lb_listener_rule: "routing by host and path; the listener it belongs to is checked by lb-listener-tls",
  aws_route53_record: "names; failover pairs with a health check are asserted by __tests__/policy/edge.test.ts",
  aws_wafv2_web_acl_association: "attaches an ACL (checked by waf-web-acl-protections) to the ALB",
  aws_wafv2_web_acl_logging_configuration: "is itself a control: waf-web-acl-protections requires it",
  // Observability layer.
  aws_cloudwatch_metric_alarm: "is itself a control; alarm and OK actions on a topic of the alarm's region, us-east-1 for CloudFront and Route 53, and breaching health alarms are asserted by __tests__/policy/alarms.test.ts",
  aws_cloudwatch_dashboard: "a view of metrics; holds no data and grants nothing",
  aws_budgets_budget: "cost alerting; the topic it notifies is checked by sns-topic-encryption and its policy by resource-policy-public-principal",
  aws_sns_topic_subscription: "e-mail subscriptions of the alert topics (addresses from config, checked by config rules); the topic is checked by sns-topic-encryption",
  aws_ce_cost_allocation_tag: "activates the Environment tag for cost reporting (opt-in, observability.activateCostAllocationTag); no security or data setting",
};
