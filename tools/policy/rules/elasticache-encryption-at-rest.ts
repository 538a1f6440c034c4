import { fail, isTrue, pass, show } from "../helpers";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "elasticache-encryption-at-rest",
  category: "encryption",
  level: "error",
  description: "Cache data at rest is encrypted with a customer-managed KMS key.",
  appliesTo: ["aws_elasticache_replication_group"],
  check(group) {
    const c = group.config;
    if (!isTrue(c.at_rest_encryption_enabled)) return fail("at_rest_encryption_enabled is not true (it can only be set when the group is created)");
    if (!c.kms_key_id) return fail("at-rest encryption without kms_key_id uses an AWS-owned key; set a customer-managed key");
    return pass(`encrypted at rest with ${show(c.kms_key_id)}`);
  },
};
