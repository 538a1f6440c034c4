import { block, blocks, fail, pass } from "../helpers";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "backup-plan-retention",
  category: "backups",
  level: "error",
  description: "Every AWS Backup plan rule sets a retention (lifecycle.delete_after), and so does every copy it makes.",
  appliesTo: ["aws_backup_plan"],
  check(resource) {
    const rules = blocks(resource.config.rule);
    if (rules.length === 0) return fail("the plan has no rule: nothing is backed up");
    const missing = rules.flatMap((r) => [
      ...(Number(block(r.lifecycle)?.delete_after) > 0 ? [] : [`${r.rule_name ?? "?"}: no lifecycle.delete_after`]),
      ...blocks(r.copy_action).filter((c) => !(Number(block(c.lifecycle)?.delete_after) > 0)).map(() => `${r.rule_name ?? "?"}: a copy without lifecycle.delete_after`),
    ]);
    if (missing.length > 0) return fail(`recovery points kept forever or by accident: ${missing.join("; ")}`);
    const copies = rules.filter((r) => blocks(r.copy_action).length > 0).length;
    return pass(`${rules.length} rule(s) with retention${copies ? `, ${copies} copied to another vault` : ""}`);
  },
};
