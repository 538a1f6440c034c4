import { fail, pass, show } from "../helpers";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "vpc-flow-logs",
  category: "logging",
  level: "error",
  description: "Every VPC has flow logs.",
  appliesTo: ["aws_vpc"],
  check(vpc, context) {
    const logs = context.referencing(vpc, "aws_flow_log");
    if (logs.length === 0) return fail("no aws_flow_log for it");
    return pass(logs.map((l) => `${l.config.traffic_type ?? "?"} traffic to ${show(l.config.log_destination_type ?? "cloud-watch-logs")}`).join("; "));
  },
};
