import { block, bucketCompanions, fail, pass } from "../helpers";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "s3-bucket-versioning",
  category: "backups",
  level: "error",
  description: "Every bucket has versioning enabled (overwritten and deleted objects stay recoverable).",
  appliesTo: ["aws_s3_bucket"],
  check(bucket, context) {
    const configs = bucketCompanions(bucket, "aws_s3_bucket_versioning", context);
    const status = configs.map((c) => block(c.config.versioning_configuration)?.status);
    if (status.includes("Enabled")) return pass("versioning enabled");
    return fail(configs.length === 0 ? "no aws_s3_bucket_versioning for it" : `versioning is ${status.join(", ")}`);
  },
};
