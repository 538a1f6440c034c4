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
export const SUPPRESSIONS: readonly Suppression[] = [];
