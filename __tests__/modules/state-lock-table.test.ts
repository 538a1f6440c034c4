import { Testing } from "cdktf";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { StateLockTable } from "../../modules/state-lock-table/state-lock-table";

const KEY = "arn:aws:kms:eu-west-1:111111111111:key/state";

function synthTable(tableName = "upskill-dev-tflock", kmsKeyArn = KEY): string {
  return Testing.synthScope((scope) => void new StateLockTable(scope, "lock", { tableName, kmsKeyArn }));
}

describe("StateLockTable", () => {
  test("LockID string key, on-demand, PITR, KMS encryption, deletion protection, prevent_destroy", () => {
    expect(synthTable()).toHaveResourceWithProperties(DynamodbTable, {
      name: "upskill-dev-tflock",
      hash_key: "LockID",
      attribute: [{ name: "LockID", type: "S" }],
      billing_mode: "PAY_PER_REQUEST",
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true, kms_key_arn: KEY },
      deletion_protection_enabled: true,
      lifecycle: { prevent_destroy: true },
    });
  });

  test("refuses a name DynamoDB rejects and a missing key", () => {
    expect(() => synthTable("a b")).toThrow(/tableName "a b" must be 3-255/);
    expect(() => synthTable("upskill-dev-tflock", "")).toThrow(/give kmsKeyArn/);
  });
});
