import { Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataKeys } from "../../modules/data-keys/data-keys";

function synth() {
  return JSON.parse(
    Testing.synthScope((scope) => {
      new AwsProvider(scope, "aws", { region: "eu-west-1" });
      const dr = new AwsProvider(scope, "aws_dr", { region: "eu-central-1", alias: "dr" });
      new DataKeys(scope, "keys", { prefix: "upskill-dev", accountId: "111111111111", region: "eu-west-1", drProvider: dr });
    }),
  );
}

describe("DataKeys", () => {
  const json = synth();
  const keys = Object.values<any>(json.resource.aws_kms_key);
  const aliases = Object.values<any>(json.resource.aws_kms_alias).map((a) => a.name).sort();

  test("one rotating, protected key per purpose, with an alias each", () => {
    expect(aliases).toEqual(["alias/upskill-dev/buckets", "alias/upskill-dev/cache", "alias/upskill-dev/database", "alias/upskill-dev/dr-replicas", "alias/upskill-dev/logs"]);
    for (const k of keys) {
      expect(k.enable_key_rotation).toBe(true);
      expect(k.lifecycle).toEqual({ prevent_destroy: true });
    }
  });

  test("the replica key lives in the DR region", () => {
    const dr = keys.filter((k) => k.provider === "aws.dr");
    expect(dr).toHaveLength(1);
    expect(dr[0].description).toMatch(/replica/);
  });

  test("only the logs key names a service, CloudWatch Logs of the region, for this account's log groups", () => {
    const withService = keys.map((k) => JSON.parse(k.policy)).filter((p) => p.Statement.length > 1);
    expect(withService).toHaveLength(1);
    expect(withService[0].Statement[1]).toMatchObject({
      Principal: { Service: "logs.eu-west-1.amazonaws.com" },
      Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:111111111111:log-group:*" } },
    });
    expect(withService[0].Statement[1].Action).not.toContain("kms:*");
  });
});
