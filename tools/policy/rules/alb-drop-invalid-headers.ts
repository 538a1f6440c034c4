import { fail, isTrue, na, pass } from "../helpers";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "alb-drop-invalid-headers",
  category: "hardening",
  level: "error",
  description: "Application load balancers drop HTTP headers with invalid names (request smuggling).",
  appliesTo: ["aws_lb", "aws_alb"],
  check(lb) {
    if ((lb.config.load_balancer_type ?? "application") !== "application") return na(`${lb.config.load_balancer_type} load balancer`);
    return isTrue(lb.config.drop_invalid_header_fields) ? pass("invalid headers dropped") : fail("drop_invalid_header_fields is not true");
  },
};
