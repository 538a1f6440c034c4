import { block, fail, pass, show } from "../helpers";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "cloudfront-logging",
  category: "logging",
  level: "error",
  description: "Distributions log requests (standard logging to a bucket, or a CloudWatch log delivery source for the distribution).",
  appliesTo: ["aws_cloudfront_distribution"],
  check(distribution, context) {
    const logging = block(distribution.config.logging_config);
    if (logging?.bucket) return pass(`standard logs to ${show(logging.bucket)}`);
    const delivery = context.referencing(distribution, "aws_cloudwatch_log_delivery_source");
    if (delivery.length > 0) return pass(`log delivery source ${delivery[0]!.name}`);
    return fail("no logging_config bucket and no aws_cloudwatch_log_delivery_source for it");
  },
};
