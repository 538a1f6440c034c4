import { fail, isTrue, pass } from "../helpers";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "rds-not-public",
  category: "public exposure",
  level: "error",
  description: "No database instance is publicly accessible.",
  appliesTo: ["aws_db_instance", "aws_rds_cluster_instance"],
  check(db) {
    return isTrue(db.config.publicly_accessible) ? fail("publicly_accessible is true") : pass("not publicly accessible");
  },
};
