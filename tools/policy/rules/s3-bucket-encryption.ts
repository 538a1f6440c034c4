import { block, blocks, bucketCompanions, fail, pass, show } from "../helpers";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "s3-bucket-encryption",
  category: "encryption",
  level: "error",
  description: "Every bucket has default encryption with a customer-managed KMS key (SSE-KMS).",
  appliesTo: ["aws_s3_bucket"],
  check(bucket, context) {
    const configs = bucketCompanions(bucket, "aws_s3_bucket_server_side_encryption_configuration", context);
    if (configs.length === 0) return fail("no aws_s3_bucket_server_side_encryption_configuration for it: objects get SSE-S3, not a customer-managed key");
    const defaults = configs.flatMap((c) => blocks(c.config.rule)).map((r) => block(r.apply_server_side_encryption_by_default) ?? {});
    const kms = defaults.find((d) => (d.sse_algorithm === "aws:kms" || d.sse_algorithm === "aws:kms:dsse") && d.kms_master_key_id);
    if (kms) return pass(`${kms.sse_algorithm} with ${show(kms.kms_master_key_id)}`);
    return fail(`default encryption is ${defaults.map((d) => `${d.sse_algorithm ?? "unset"}${d.kms_master_key_id ? "" : " without kms_master_key_id"}`).join(", ")}; use aws:kms with a customer-managed key`);
  },
};
