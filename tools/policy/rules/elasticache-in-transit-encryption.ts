import { fail, isTrue, pass } from "../helpers";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "elasticache-in-transit-encryption",
  category: "tls",
  level: "error",
  description: "Clients reach the cache over TLS only.",
  appliesTo: ["aws_elasticache_replication_group"],
  check(group) {
    const c = group.config;
    if (!isTrue(c.transit_encryption_enabled)) return fail("transit_encryption_enabled is not true");
    if (c.transit_encryption_mode === "preferred") return fail('transit_encryption_mode "preferred" still accepts plaintext connections; use "required"');
    return pass("TLS required");
  },
};
