import { block, fail, isTrue, na, pass, show } from "../helpers";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "alb-access-logs",
  category: "logging",
  level: "error",
  description: "Application load balancers write access logs to a bucket.",
  appliesTo: ["aws_lb", "aws_alb"],
  check(lb) {
    if ((lb.config.load_balancer_type ?? "application") !== "application") return na(`${lb.config.load_balancer_type} load balancer`);
    const logs = block(lb.config.access_logs);
    return logs && isTrue(logs.enabled) && logs.bucket ? pass(`access logs to ${show(logs.bucket)}`) : fail("access_logs are not enabled with a bucket");
  },
};
