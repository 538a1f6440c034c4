import { fail, pass } from "../helpers";
import { readPolicy, type Statement } from "../iam";
import type { Rule } from "../types";

const GITHUB = "token.actions.githubusercontent.com";

function subjects(s: Statement): string[] {
  return s.conditions.filter((c) => c.variable.endsWith(":sub")).flatMap((c) => c.values);
}

export const rule: Rule = {
  id: "iam-oidc-trust-scoped",
  category: "iam",
  level: "error",
  description: "Role trust policies never trust everyone; web-identity trusts (GitHub Actions, EKS) pin the audience and the subject (repository/branch/environment, service account).",
  appliesTo: ["aws_iam_role"],
  check(role, context) {
    const read = readPolicy(role.config.assume_role_policy, context);
    if ("unreadable" in read) return fail(`assume_role_policy: ${read.unreadable}; cannot verify`);
    const problems: string[] = [];
    const trusted: string[] = [];
    for (const s of read.statements.filter((x) => x.effect === "Allow")) {
      const name = s.sid ?? "(no sid)";
      if (s.principals.includes("*") && !s.hasCondition) problems.push(`${name} trusts everyone`);
      for (const p of s.principals.filter((x) => x.startsWith("Federated:"))) {
        const subs = subjects(s);
        const audience = s.conditions.some((c) => c.variable.endsWith(":aud"));
        if (subs.length === 0) problems.push(`${name} trusts ${p} for any subject (no :sub condition)`);
        else if (subs.some((v) => v === "*" || /^repo:\*/.test(v) || /^repo:[^:]+\/\*$/.test(v) || v.startsWith("system:serviceaccount:*"))) {
          problems.push(`${name} trusts ${p} for subjects ${subs.join(", ")}, which match too much`);
        }
        if (p.includes(GITHUB) && !audience) problems.push(`${name} trusts GitHub without an :aud condition (sts.amazonaws.com)`);
        trusted.push(`${p.slice("Federated:".length).replace(/^.*oidc-provider\//, "")} ${subs.join(", ")}`.trim());
      }
      trusted.push(...s.principals.filter((x) => !x.startsWith("Federated:")));
    }
    return problems.length > 0 ? fail(problems.join("; ")) : pass(`trusts ${trusted.join("; ") || "nobody"}`);
  },
};
