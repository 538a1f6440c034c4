import * as fs from "node:fs";
import * as path from "node:path";
import { Testing } from "cdktf";
import { parse } from "yaml";
import { PlatformStack } from "../../stacks/platform-stack";
import { expandNodeGroups } from "../../modules/node-group/zonal-groups";
import { unknownValues, type ChartKeysFile } from "../../tools/chart-keys/keys";
import { CHART_SOURCES } from "../../tools/chart-keys/sources";
import { parseSynth, resourcesOf, shippedEnvironment, SHIPPED_ENVIRONMENTS, testApp } from "../support/fixtures";

const KEYS_DIR = path.join(__dirname, "..", "..", "modules", "helm-addon", "chart-keys");
const keysOf = (chart: string): ChartKeysFile => JSON.parse(fs.readFileSync(path.join(KEYS_DIR, `${chart}.json`), "utf8"));
/**
 * Mappings that take any key though their default is not empty: cluster-autoscaler's extraArgs
 * (every flag of the binary) and metrics-server's resources (a Kubernetes ResourceRequirements,
 * passed through with toYaml, whose default lists requests only).
 */
const FREE_FORM: Record<string, string[]> = { "cluster-autoscaler": ["extraArgs"], "metrics-server": ["resources"] };
const CONFIG_KEY: Record<string, "awsLoadBalancerController" | "clusterAutoscaler" | "metricsServer"> = {
  "aws-load-balancer-controller": "awsLoadBalancerController",
  "cluster-autoscaler": "clusterAutoscaler",
  "metrics-server": "metricsServer",
};

describe.each(SHIPPED_ENVIRONMENTS)("add-on values against their pinned charts' values.yaml keys (%s)", (envName) => {
  const environment = shippedEnvironment(envName);
  const stack = new PlatformStack(testApp(), {
    environment,
    network: { vpcId: "vpc-0fake" },
    cluster: {
      clusterName: `upskill-${envName}`,
      clusterEndpoint: "https://example.eks.amazonaws.com",
      clusterCertificateAuthorityData: "LS0t",
      ebsKmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/ebs",
      autoscalingGroupNames: expandNodeGroups(environment.cluster.nodeGroups, environment.availabilityZones, environment.names.cluster).map((_, i) => `eks-g${i}`),
      volumeBackupTag: { key: "upskill.io/backup", value: "v" },
    },
  });
  const releases = Object.values(resourcesOf(parseSynth(Testing.synth(stack)), "helm_release"));

  test.each(CHART_SOURCES.map((s) => s.chart))("%s: the key file is the pinned version's, and every value is a key of it", (chart) => {
    const keys = keysOf(chart);
    expect(keys.version).toBe(environment.platform.charts[CONFIG_KEY[chart]].version);
    const release = releases.find((r) => r.name === chart)!;
    expect(release.version).toBe(keys.version);
    expect(unknownValues(parse(release.values[0]), keys.keys, FREE_FORM[chart])).toEqual([]);
  });
});

describe("unknownValues", () => {
  const keys = keysOf("aws-load-balancer-controller").keys;
  test("finds a misspelt key, a key of another chart and a wrong shape", () => {
    expect(unknownValues({ enableServiceMutatorWebhok: false, replicas: 2, tolerations: {}, podDisruptionBudget: { maxUnavailable: 1 } }, keys)).toEqual([
      "enableServiceMutatorWebhok: not a key of the chart's values.yaml",
      "replicas: not a key of the chart's values.yaml",
      "tolerations: the chart expects a list, got a mapping",
    ]);
  });
  test("knows the fail-safe keys this platform sets", () => {
    expect(unknownValues({ enableServiceMutatorWebhook: false, keepTLSSecret: true }, keys)).toEqual([]);
  });
  test("free-form mappings take any key", () => {
    const ca = keysOf("cluster-autoscaler").keys;
    expect(unknownValues({ extraArgs: { "balance-similar-node-groups": true } }, ca)).toEqual(["extraArgs.balance-similar-node-groups: not a key of the chart's values.yaml"]);
    expect(unknownValues({ extraArgs: { "balance-similar-node-groups": true } }, ca, ["extraArgs"])).toEqual([]);
  });
});
