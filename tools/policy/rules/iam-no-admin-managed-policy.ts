import { fail, list, pass } from "../helpers";
import type { Rule } from "../types";

const BROAD = /:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/;

export const rule: Rule = {
  id: "iam-no-admin-managed-policy",
  category: "iam",
  level: "error",
  description: "No role, user or group gets the AdministratorAccess, PowerUserAccess or IAMFullAccess managed policy.",
  appliesTo: ["aws_iam_role_policy_attachment", "aws_iam_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment", "aws_iam_role"],
  check(resource) {
    const arns = resource.type === "aws_iam_role" ? list(resource.config.managed_policy_arns) : [resource.config.policy_arn];
    const broad = arns.map(String).filter((a) => BROAD.test(a));
    if (broad.length > 0) return fail(`attaches ${broad.join(", ")}`);
    return pass(resource.type === "aws_iam_role" ? "no broad managed policy" : `attaches ${String(resource.config.policy_arn)}`);
  },
};
