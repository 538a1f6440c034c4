import { bucketCompanions, fail, pass } from "../helpers";
import { actionMatches, readPolicy } from "../iam";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "s3-bucket-tls-only",
  category: "tls",
  level: "error",
  description: "Every bucket policy denies requests that do not use TLS (aws:SecureTransport false).",
  appliesTo: ["aws_s3_bucket"],
  check(bucket, context) {
    const policies = bucketCompanions(bucket, "aws_s3_bucket_policy", context);
    if (policies.length === 0) return fail("no aws_s3_bucket_policy for it, so nothing denies plain HTTP");
    const unreadable: string[] = [];
    for (const p of policies) {
      const read = readPolicy(p.config.policy, context);
      if ("unreadable" in read) {
        unreadable.push(read.unreadable);
        continue;
      }
      const denies = read.statements.some(
        (s) =>
          s.effect === "Deny" &&
          s.principals.includes("*") &&
          s.actions.some((a) => actionMatches(a, "s3:GetObject") && actionMatches(a, "s3:PutObject")) &&
          s.conditions.some((c) => c.test === "Bool" && c.variable === "aws:SecureTransport" && c.values.includes("false")),
      );
      if (denies) return pass("bucket policy denies non-TLS requests");
    }
    return fail(unreadable.length > 0 ? `cannot read the bucket policy (${unreadable.join("; ")})` : "the bucket policy has no Deny on aws:SecureTransport = false for every principal and s3:*");
  },
};
