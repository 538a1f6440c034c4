import { fail, pass, show } from "../helpers";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "log-group-encryption",
  category: "encryption",
  level: "error",
  description: "Every log group is encrypted with a customer-managed KMS key.",
  appliesTo: ["aws_cloudwatch_log_group"],
  check(group) {
    return group.config.kms_key_id ? pass(`encrypted with ${show(group.config.kms_key_id)}`) : fail("no kms_key_id: logs are encrypted with a CloudWatch-owned key");
  },
};
