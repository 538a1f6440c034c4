import { fail, num, pass, show } from "../helpers";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "log-group-retention",
  category: "logging",
  level: "error",
  description: "Every log group has a retention period (nothing is kept forever).",
  appliesTo: ["aws_cloudwatch_log_group"],
  check(group) {
    const days = num(group.config.retention_in_days);
    if (days === undefined || days <= 0) return fail(`retention_in_days is ${show(group.config.retention_in_days)}: events never expire`);
    return pass(`kept ${days} days`);
  },
};
