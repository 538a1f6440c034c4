import { fail, pass } from "../helpers";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "route53-health-check-https",
  category: "tls",
  level: "error",
  description: "Route 53 health checks of endpoints probe over HTTPS with SNI, so they test what users reach (certificate and listener included).",
  appliesTo: ["aws_route53_health_check"],
  check(resource) {
    const c = resource.config;
    if (["CALCULATED", "CLOUDWATCH_METRIC", "RECOVERY_CONTROL"].includes(c.type)) return pass(`${c.type} check: no endpoint of its own`);
    if (c.type !== "HTTPS" && c.type !== "HTTPS_STR_MATCH") return fail(`type ${c.type}: probe the HTTPS endpoint instead`);
    if (c.enable_sni !== true) return fail("enable_sni is not true: the probe may get the wrong certificate");
    return pass(`${c.type} with SNI on ${c.fqdn ?? c.ip_address}${c.resource_path ?? ""}`);
  },
};
