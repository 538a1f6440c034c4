import { block, blocks, fail, isTrue, list, pass, show } from "../helpers";
import type { Rule } from "../types";

const MODERN = /^TLSv1\.(2_(2018|2019|2021|2025)|3_\d{4})$/;

export const rule: Rule = {
  id: "cloudfront-tls",
  category: "tls",
  level: "error",
  description: "Distributions serve TLS 1.2+ with their own certificate, viewers are sent to HTTPS and custom origins are reached over TLS 1.2.",
  appliesTo: ["aws_cloudfront_distribution"],
  check(distribution) {
    const c = distribution.config;
    const problems: string[] = [];
    const cert = block(c.viewer_certificate) ?? {};
    if (isTrue(cert.cloudfront_default_certificate)) problems.push("uses the *.cloudfront.net certificate, which allows TLS 1.0");
    else if (!MODERN.test(String(cert.minimum_protocol_version))) problems.push(`minimum_protocol_version ${show(cert.minimum_protocol_version)} is below TLSv1.2_2021`);
    const behaviors = [...blocks(c.default_cache_behavior), ...blocks(c.ordered_cache_behavior)];
    const plain = behaviors.filter((b) => b.viewer_protocol_policy === "allow-all").map((b) => b.path_pattern ?? "default");
    if (plain.length > 0) problems.push(`viewer_protocol_policy allow-all on ${plain.join(", ")}`);
    for (const origin of blocks(c.origin)) {
      const custom = block(origin.custom_origin_config);
      if (!custom) continue;
      if (custom.origin_protocol_policy !== "https-only") problems.push(`origin ${origin.origin_id}: origin_protocol_policy ${show(custom.origin_protocol_policy)}`);
      const old = list(custom.origin_ssl_protocols).filter((p) => p !== "TLSv1.2");
      if (old.length > 0) problems.push(`origin ${origin.origin_id} accepts ${old.join(", ")}`);
    }
    return problems.length > 0 ? fail(problems.join("; ")) : pass(`${cert.minimum_protocol_version}, HTTPS only`);
  },
};
