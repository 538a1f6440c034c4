import { fail, isTrue, pass } from "../helpers";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "rds-deletion-protection",
  category: "deletion protection",
  level: "error",
  description: "Databases have deletion protection, and primaries take a final snapshot when deleted.",
  appliesTo: ["aws_db_instance", "aws_rds_cluster"],
  check(db) {
    const c = db.config;
    const problems: string[] = [];
    if (!isTrue(c.deletion_protection)) problems.push("deletion_protection is not true");
    const replica = Boolean(c.replicate_source_db || c.replication_source_identifier);
    if (!replica && isTrue(c.skip_final_snapshot)) problems.push("skip_final_snapshot is true");
    if (!replica && !isTrue(c.skip_final_snapshot) && !c.final_snapshot_identifier) problems.push("no final_snapshot_identifier (a delete would fail or lose the data)");
    if (problems.length > 0) return fail(problems.join("; "));
    return pass(replica ? "deletion protection (replica: no final snapshot)" : "deletion protection and a final snapshot");
  },
};
