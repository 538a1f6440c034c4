import { fail, pass, show } from "../helpers";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "backup-vault-encryption",
  category: "encryption",
  level: "error",
  description: "Every backup vault encrypts its recovery points with a customer-managed KMS key.",
  appliesTo: ["aws_backup_vault"],
  check(vault) {
    return vault.config.kms_key_arn ? pass(`encrypted with ${show(vault.config.kms_key_arn)}`) : fail("no kms_key_arn: the vault uses the AWS-managed aws/backup key");
  },
};
