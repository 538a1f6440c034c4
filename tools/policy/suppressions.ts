import type { Suppression } from "./types";

/**
 * Accepted exceptions to the policy rules that are better kept in one place
 * than on the resource (see suppress.ts for those), each with the reason it
 * is safe. `address` may use `*`, e.g. `*-edge/aws_s3_bucket.alb_logs`.
 *
 * Example:
 *   { rule: "s3-bucket-encryption", address: "*-edge/aws_s3_bucket.alb_logs",
 *     reason: "ALB access logs only support SSE-S3 (the load balancer cannot use a KMS key)" },
 */
export const SUPPRESSIONS: readonly Suppression[] = [
  {
    rule: "iam-no-admin-managed-policy",
    address: "*-bootstrap/aws_iam_role_policy_attachment.ci_deploy-power-user_*",
    reason:
      "The CI deploy role applies every layer, so it needs broad service rights (PowerUserAccess, no IAM); its IAM rights are limited to the environment's own <prefix>-* roles and policies, it is trusted only for the configured branches and GitHub environments, and it is explicitly denied changes to the CI roles and the state bucket, table and key",
  },
];
