import { fail, pass, show } from "../helpers";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "sns-topic-encryption",
  category: "encryption",
  level: "error",
  description: "Every SNS topic is encrypted with a customer-managed KMS key (CloudWatch alarms cannot publish to one using aws/sns).",
  appliesTo: ["aws_sns_topic"],
  check(topic) {
    const key = topic.config.kms_master_key_id;
    if (!key) return fail("no kms_master_key_id: messages are stored unencrypted");
    if (key === "alias/aws/sns") return fail("alias/aws/sns is AWS-managed: CloudWatch, Budgets and Backup cannot use it to publish; use a customer-managed key");
    return pass(`encrypted with ${show(key)}`);
  },
};
