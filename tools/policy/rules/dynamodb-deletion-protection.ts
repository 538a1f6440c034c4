import { fail, isTrue, pass } from "../helpers";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "dynamodb-deletion-protection",
  category: "deletion protection",
  level: "error",
  description: "Every DynamoDB table has deletion protection.",
  appliesTo: ["aws_dynamodb_table"],
  check(table) {
    return isTrue(table.config.deletion_protection_enabled) ? pass("deletion protection") : fail("deletion_protection_enabled is not true");
  },
};
