import { fail, na, num, pass, show } from "../helpers";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "rds-backup-retention",
  category: "backups",
  level: "error",
  description: "Primary databases keep automated backups (point-in-time recovery) for at least a day.",
  appliesTo: ["aws_db_instance", "aws_rds_cluster"],
  check(db) {
    if (db.config.replicate_source_db || db.config.replication_source_identifier) return na("replica: backups are the source's");
    const days = num(db.config.backup_retention_period);
    if (days === undefined || days < 1) return fail(`backup_retention_period is ${show(db.config.backup_retention_period)}: no automated backups`);
    return pass(`backups kept ${days} days${db.config.backup_window ? `, window ${db.config.backup_window}` : ""}`);
  },
};
