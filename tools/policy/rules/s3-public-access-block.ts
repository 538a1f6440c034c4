import { bucketCompanions, fail, isTrue, pass } from "../helpers";
import type { Rule } from "../types";

const FLAGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];

export const rule: Rule = {
  id: "s3-public-access-block",
  category: "public exposure",
  level: "error",
  description: "Every bucket blocks public access with all four public access block settings.",
  appliesTo: ["aws_s3_bucket"],
  check(bucket, context) {
    const blocks = bucketCompanions(bucket, "aws_s3_bucket_public_access_block", context);
    if (blocks.length === 0) return fail("no aws_s3_bucket_public_access_block for it");
    const off = FLAGS.filter((f) => !blocks.some((b) => isTrue(b.config[f])));
    return off.length === 0 ? pass("all public access blocked") : fail(`public access block leaves ${off.join(", ")} off`);
  },
};
