import { Testing } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";
import { LayerStack, type Layer } from "../../stacks/layer-stack";
import type { EnvironmentConfig } from "../../config/schema";
import { parseSynth, shippedEnvironment, testApp } from "../support/fixtures";

class ProbeStack extends LayerStack {
  constructor(scope: Construct, layer: Layer, environment: EnvironmentConfig, regions: { dr?: boolean; usEast1?: boolean } = {}) {
    super(scope, layer, { environment });
    new S3Bucket(this, "probe", { bucket: "probe" });
    if (regions.dr) new S3Bucket(this, "probe-dr", { bucket: "probe-dr", provider: this.drProvider });
    if (regions.usEast1) new S3Bucket(this, "probe-use1", { bucket: "probe-use1", provider: this.usEast1Provider });
  }
}

const prod = shippedEnvironment("prod");

describe("LayerStack", () => {
  test("is named <env>-<layer>", () => {
    const stack = new ProbeStack(testApp(), "network", prod);
    expect(stack.node.id).toBe("prod-network");
  });

  test("uses the S3 backend with DynamoDB and S3-native locking", () => {
    const json = parseSynth(Testing.synth(new ProbeStack(testApp(), "data", prod)));
    expect(json.terraform?.backend?.s3).toEqual({
      bucket: "upskill-prod-tfstate-333333333333",
      key: "prod/data.tfstate",
      region: "eu-west-1",
      kms_key_id: "arn:aws:kms:eu-west-1:333333333333:alias/upskill-prod/tfstate",
      encrypt: true,
      dynamodb_table: "upskill-prod-tflock",
      use_lockfile: true,
    });
    expect(json.terraform?.backend?.local).toBeUndefined();
  });

  test("the bootstrap layer keeps its state locally", () => {
    const json = parseSynth(Testing.synth(new ProbeStack(testApp(), "bootstrap", prod)));
    expect(json.terraform?.backend?.local).toEqual({ path: "terraform.prod-bootstrap.tfstate" });
    expect(json.terraform?.backend?.s3).toBeUndefined();
  });

  test("the primary provider guards the account and tags every resource", () => {
    const synth = Testing.synth(new ProbeStack(testApp(), "network", prod));
    expect(synth).toHaveProviderWithProperties(AwsProvider, {
      region: "eu-west-1",
      allowed_account_ids: ["333333333333"],
      default_tags: [{ tags: { CostCenter: "upskill-prod", Project: "upskill", Environment: "prod", Layer: "network", ManagedBy: "cdktf" } }],
    });
  });

  test("aliased providers exist only where a layer uses them", () => {
    const plain = parseSynth(Testing.synth(new ProbeStack(testApp(), "network", prod)));
    expect(plain.provider?.aws).toHaveLength(1);
    const both = parseSynth(Testing.synth(new ProbeStack(testApp(), "data", prod, { dr: true, usEast1: true })));
    const providers = both.provider?.aws ?? [];
    expect(providers.map((p) => [p.alias, p.region])).toEqual([
      [undefined, "eu-west-1"],
      ["dr", "eu-central-1"],
      ["us_east_1", "us-east-1"],
    ]);
    for (const p of providers) {
      expect(p.allowed_account_ids).toEqual(["333333333333"]);
      expect(p.default_tags[0].tags).toMatchObject({ Project: "upskill", Environment: "prod", Layer: "data", ManagedBy: "cdktf" });
    }
    expect(both.resource?.aws_s3_bucket?.["probe-dr"].provider).toBe("aws.dr");
  });
});
