import { isTrue, na, fail, pass } from "../helpers";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "kms-key-rotation",
  category: "encryption",
  level: "error",
  description: "Every symmetric customer-managed KMS key rotates automatically.",
  appliesTo: ["aws_kms_key"],
  check(key) {
    const spec = key.config.customer_master_key_spec ?? "SYMMETRIC_DEFAULT";
    if (spec !== "SYMMETRIC_DEFAULT") return na(`${spec} keys cannot rotate automatically`);
    if (!isTrue(key.config.enable_key_rotation)) return fail("enable_key_rotation is not true");
    const days = key.config.rotation_period_in_days;
    return pass(`rotates every ${days ?? 365} days`);
  },
};
