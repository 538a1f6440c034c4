import { block, blocks, fail, pass, show } from "../helpers";
import type { Rule } from "../types";

/** ELB security policies that negotiate TLS 1.2 or later only. */
export const MODERN_SSL_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]-|TLS-1-2-|FS-1-2-)/;

export const rule: Rule = {
  id: "lb-listener-tls",
  category: "tls",
  level: "error",
  description: "HTTPS/TLS listeners use a TLS 1.2+ security policy and a certificate; plain HTTP listeners only redirect to HTTPS.",
  appliesTo: ["aws_lb_listener", "aws_alb_listener"],
  check(listener) {
    const c = listener.config;
    const protocol = c.protocol ?? "HTTP";
    if (protocol === "HTTPS" || protocol === "TLS") {
      if (!c.certificate_arn) return fail(`${protocol} listener without certificate_arn`);
      if (typeof c.ssl_policy !== "string" || !MODERN_SSL_POLICY.test(c.ssl_policy)) {
        return fail(`ssl_policy ${show(c.ssl_policy ?? "unset (ELBSecurityPolicy-2016-08 allows TLS 1.0)")} is not a TLS 1.2+ policy such as ELBSecurityPolicy-TLS13-1-2-2021-06`);
      }
      return pass(`${protocol} ${c.port ?? ""} with ${c.ssl_policy}`.replace("  ", " "));
    }
    if (protocol === "HTTP") {
      const actions = blocks(c.default_action);
      const redirects = actions.length > 0 && actions.every((a) => a.type === "redirect" && block(a.redirect)?.protocol === "HTTPS");
      return redirects ? pass(`HTTP ${c.port ?? ""} redirects to HTTPS`) : fail(`HTTP listener on ${c.port ?? "?"} does not only redirect to HTTPS`);
    }
    return fail(`${protocol} listener carries traffic without TLS`);
  },
};
