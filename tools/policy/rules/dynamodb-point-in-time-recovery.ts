import { block, fail, isTrue, pass } from "../helpers";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "dynamodb-point-in-time-recovery",
  category: "backups",
  level: "error",
  description: "Every DynamoDB table has point-in-time recovery.",
  appliesTo: ["aws_dynamodb_table"],
  check(table) {
    const pitr = block(table.config.point_in_time_recovery);
    return isTrue(pitr?.enabled) ? pass(`point-in-time recovery${pitr?.recovery_period_in_days ? `, ${pitr.recovery_period_in_days} days` : ""}`) : fail("point_in_time_recovery is not enabled");
  },
};
