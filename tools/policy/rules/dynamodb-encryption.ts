import { block, fail, isTrue, pass, show } from "../helpers";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "dynamodb-encryption",
  category: "encryption",
  level: "error",
  description: "Every DynamoDB table is encrypted with a customer-managed KMS key.",
  appliesTo: ["aws_dynamodb_table"],
  check(table) {
    const sse = block(table.config.server_side_encryption);
    if (!sse || !isTrue(sse.enabled)) return fail("server_side_encryption is not enabled: the table uses an AWS-owned key");
    if (!sse.kms_key_arn) return fail("server_side_encryption without kms_key_arn uses the AWS-managed aws/dynamodb key");
    return pass(`encrypted with ${show(sse.kms_key_arn)}`);
  },
};
