import { fail, pass } from "../helpers";
import { policiesOf, POLICY_ATTRIBUTES, type Statement } from "../iam";
import type { Rule } from "../types";

const KEY_POLICY_TYPES = new Set(["aws_kms_key", "aws_kms_key_policy"]);

/** The key policy statement that gives the account (its IAM policies) control of the key. */
export function isKeyRootStatement(type: string, s: Statement): boolean {
  return KEY_POLICY_TYPES.has(type) && s.principals.length > 0 && s.principals.every((p) => /^AWS:.*:root\}?$/.test(p));
}

export const rule: Rule = {
  id: "iam-no-wildcard-admin",
  category: "iam",
  level: "error",
  description: 'No policy allows action "*" on resource "*", or uses Allow with NotAction (KMS key policies\' account-root statement excepted).',
  appliesTo: Object.keys(POLICY_ATTRIBUTES),
  check(resource, context) {
    const problems: string[] = [];
    let statements = 0;
    for (const { where, read } of policiesOf(resource, context)) {
      if ("unreadable" in read) {
        problems.push(`${where}: ${read.unreadable}; write it as JSON or an aws_iam_policy_document so it can be checked`);
        continue;
      }
      statements += read.statements.length;
      for (const s of read.statements) {
        if (s.effect !== "Allow" || isKeyRootStatement(resource.type, s)) continue;
        const name = s.sid ?? "(no sid)";
        if (s.notActions.length > 0) problems.push(`${where}: statement ${name} allows everything but ${s.notActions.join(", ")} (NotAction)`);
        const everyAction = s.actions.some((a) => a === "*" || a === "*:*");
        const everyResource = s.resources.includes("*") || s.notResources.length > 0;
        if (everyAction && everyResource) problems.push(`${where}: statement ${name} allows "*" on "*"`);
      }
    }
    return problems.length > 0 ? fail(problems.join("; ")) : pass(`${statements} statement(s), no "*" on "*"`);
  },
};
