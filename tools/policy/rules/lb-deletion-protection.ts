import { fail, isTrue, pass } from "../helpers";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "lb-deletion-protection",
  category: "deletion protection",
  level: "error",
  description: "Load balancers have deletion protection (their DNS name is what clients and records point at).",
  appliesTo: ["aws_lb", "aws_alb"],
  check(lb) {
    return isTrue(lb.config.enable_deletion_protection) ? pass("deletion protection") : fail("enable_deletion_protection is not true");
  },
};
