import { fail, pass } from "../helpers";
import { policiesOf, RESOURCE_POLICY_TYPES } from "../iam";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "resource-policy-public-principal",
  category: "public exposure",
  level: "error",
  description: 'No resource policy allows Principal "*" without a condition.',
  appliesTo: RESOURCE_POLICY_TYPES,
  check(resource, context) {
    const problems: string[] = [];
    let statements = 0;
    for (const { where, read } of policiesOf(resource, context)) {
      if ("unreadable" in read) {
        problems.push(`${where}: ${read.unreadable}; cannot verify`);
        continue;
      }
      statements += read.statements.length;
      read.statements
        .filter((s) => s.effect === "Allow" && s.principals.includes("*") && !s.hasCondition)
        .forEach((s) => problems.push(`${where}: statement ${s.sid ?? "(no sid)"} allows ${s.actions.join(", ") || "NotAction"} to everyone without a condition`));
    }
    return problems.length > 0 ? fail(problems.join("; ")) : pass(`${statements} statement(s), none open to everyone`);
  },
};
