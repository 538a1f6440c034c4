import { fail, num, pass, show } from "../helpers";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "elasticache-snapshots",
  category: "backups",
  level: "error",
  description: "Caches keep daily snapshots for at least a day.",
  appliesTo: ["aws_elasticache_replication_group"],
  check(group) {
    const days = num(group.config.snapshot_retention_limit);
    if (days === undefined || days < 1) return fail(`snapshot_retention_limit is ${show(group.config.snapshot_retention_limit)}: no snapshots`);
    return pass(`snapshots kept ${days} days`);
  },
};
