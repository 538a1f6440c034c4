import { fail, pass, show } from "../helpers";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "secretsmanager-encryption",
  category: "encryption",
  level: "error",
  description: "Every Secrets Manager secret is encrypted with a customer-managed KMS key.",
  appliesTo: ["aws_secretsmanager_secret"],
  check(secret) {
    return secret.config.kms_key_id ? pass(`encrypted with ${show(secret.config.kms_key_id)}`) : fail("no kms_key_id: the secret uses the AWS-managed aws/secretsmanager key");
  },
};
