import { Testing } from "cdktf";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "../../modules/kms-key/kms-key";

function synthKey(props: Partial<ConstructorParameters<typeof KmsKey>[2]> = {}) {
  return Testing.synthScope((scope) => {
    new KmsKey(scope, "logs", { alias: "upskill-dev/logs", description: "logs", accountId: "111111111111", ...props });
  });
}

describe("KmsKey", () => {
  test("rotates, waits 30 days before deletion and cannot be destroyed by accident", () => {
    const synth = synthKey();
    expect(synth).toHaveResourceWithProperties(KmsKeyResource, {
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      lifecycle: { prevent_destroy: true },
    });
    expect(synth).toHaveResourceWithProperties(KmsAlias, { name: "alias/upskill-dev/logs" });
  });

  test("the key policy names the account root and only the granted services", () => {
    const synth = synthKey({
      serviceGrants: [{ sid: "Logs", service: "logs.eu-west-1.amazonaws.com", actions: ["kms:Encrypt*", "kms:Decrypt*"] }],
    });
    const key = Object.values(JSON.parse(synth).resource.aws_kms_key)[0] as { policy: string };
    const policy = JSON.parse(key.policy);
    expect(policy.Statement).toHaveLength(2);
    expect(policy.Statement[0].Principal).toEqual({ AWS: "arn:aws:iam::111111111111:root" });
    expect(policy.Statement[1]).toMatchObject({ Sid: "Logs", Principal: { Service: "logs.eu-west-1.amazonaws.com" }, Action: ["kms:Encrypt*", "kms:Decrypt*"] });
  });

  test("refuses an alias with the alias/ prefix and a malformed account", () => {
    expect(() => synthKey({ alias: "alias/x" })).toThrow(/without the "alias\/" prefix/);
    expect(() => synthKey({ accountId: "123" })).toThrow(/12 digits/);
  });
});

describe("KmsKey via-service grants", () => {
  test("let the account's principals use the key only through the named service", () => {
    const synth = synthKey({ viaServiceGrants: [{ sid: "Ebs", viaService: "ec2.eu-west-1.amazonaws.com", actions: ["kms:CreateGrant", "kms:Decrypt"] }] });
    const key = Object.values(JSON.parse(synth).resource.aws_kms_key)[0] as { policy: string };
    const statement = JSON.parse(key.policy).Statement[1];
    expect(statement).toEqual({
      Sid: "Ebs",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: ["kms:CreateGrant", "kms:Decrypt"],
      Resource: "*",
      Condition: { StringEquals: { "kms:CallerAccount": "111111111111", "kms:ViaService": "ec2.eu-west-1.amazonaws.com" } },
    });
  });
});
