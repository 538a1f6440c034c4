import { blocks, fail, na, pass } from "../helpers";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "rds-force-ssl",
  category: "tls",
  level: "error",
  description: "PostgreSQL parameter groups force TLS (rds.force_ssl = 1); MySQL ones require secure transport.",
  appliesTo: ["aws_db_parameter_group", "aws_rds_cluster_parameter_group"],
  check(group) {
    const family = String(group.config.family ?? "");
    const param = (name: string) => blocks(group.config.parameter).find((p) => p.name === name)?.value;
    const postgres = /^(aurora-)?postgres(ql)?(\d+)/.exec(family);
    if (postgres) {
      const value = param("rds.force_ssl");
      if (value === undefined) {
        const major = Number(postgres[3]);
        return major >= 15 ? pass(`rds.force_ssl defaults to 1 on ${family}`) : fail(`rds.force_ssl not set, and ${family} defaults to 0`);
      }
      return String(value) === "1" ? pass("rds.force_ssl = 1") : fail(`rds.force_ssl = ${value}`);
    }
    if (/^(aurora-)?mysql/.test(family)) {
      const value = String(param("require_secure_transport") ?? "");
      return ["1", "ON", "on"].includes(value) ? pass("require_secure_transport on") : fail("require_secure_transport is not on");
    }
    return na(`family ${family || "unknown"}`);
  },
};
