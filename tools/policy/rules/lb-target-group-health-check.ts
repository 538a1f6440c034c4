import { block, fail, pass } from "../helpers";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "lb-target-group-health-check",
  category: "hardening",
  level: "error",
  description: "Every load balancer target group checks its targets' health on an application path, so broken pods leave rotation.",
  appliesTo: ["aws_lb_target_group"],
  check(resource) {
    const h = block(resource.config.health_check);
    if (!h) return fail("no health_check block: the default checks only '/' of the traffic port");
    if (h.enabled === false) return fail("health_check.enabled is false");
    if (["HTTP", "HTTPS", undefined].includes(h.protocol) && !(typeof h.path === "string" && h.path.startsWith("/"))) return fail("no health_check.path");
    return pass(`health check ${h.protocol ?? "HTTP"} ${h.path ?? ""}`.trim());
  },
};
