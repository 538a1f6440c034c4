import { fail, pass } from "../helpers";
import { policiesOf, POLICY_ATTRIBUTES } from "../iam";
import type { Rule } from "../types";
import { isKeyRootStatement } from "./iam-no-wildcard-admin";

export const rule: Rule = {
  id: "iam-service-wildcard",
  category: "iam",
  level: "warning",
  description: 'Statements that allow every action of a service ("s3:*") on every resource deserve a look.',
  appliesTo: Object.keys(POLICY_ATTRIBUTES),
  check(resource, context) {
    const found: string[] = [];
    for (const { where, read } of policiesOf(resource, context)) {
      if ("unreadable" in read) continue; // iam-no-wildcard-admin reports it
      for (const s of read.statements) {
        if (s.effect !== "Allow" || isKeyRootStatement(resource.type, s) || !s.resources.includes("*")) continue;
        const wide = s.actions.filter((a) => /^[\w-]+:\*$/.test(a));
        if (wide.length > 0) found.push(`${where}: ${s.sid ?? "(no sid)"} allows ${wide.join(", ")} on "*"`);
      }
    }
    return found.length > 0 ? fail(found.join("; ")) : pass("no service-wide wildcard on every resource");
  },
};
