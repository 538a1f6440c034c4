import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Testing } from "cdktf";
import { parse } from "yaml";
import { PlatformStack, type PlatformStackProps } from "../../stacks/platform-stack";
import { expandNodeGroups } from "../../modules/node-group/zonal-groups";
import { readHelmValues } from "../../stacks/helm-values";
import { AWS_LOAD_BALANCER_CONTROLLER_POLICY } from "../../modules/helm-addon/aws-load-balancer-controller/aws-load-balancer-controller";
import { CLUSTER_AUTOSCALER_IMAGES } from "../../modules/helm-addon/cluster-autoscaler/images";
import { parseSynth, resourcesOf, shippedEnvironment, SHIPPED_ENVIRONMENTS, testApp, type SynthJson } from "../support/fixtures";

/** Literal stand-ins for the network and cluster layers' outputs. */
const fakes = (env: string, account: string, groups: number): Omit<PlatformStackProps, "environment"> => ({
  network: { vpcId: "vpc-0fake" },
  cluster: {
    clusterName: `upskill-${env}`,
    clusterEndpoint: "https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com",
    clusterCertificateAuthorityData: "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t",
    ebsKmsKeyArn: `arn:aws:kms:eu-west-1:${account}:key/ebs`,
    autoscalingGroupNames: Array.from({ length: groups }, (_, i) => `eks-upskill-${env}-group${i}-0000`),
    volumeBackupTag: { key: "upskill.io/backup", value: `upskill-${env}-volumes` },
  },
});

function build(name: string): { stack: PlatformStack; json: SynthJson } {
  const environment = shippedEnvironment(name);
  const stack = new PlatformStack(testApp(), { environment, ...fakes(name, environment.accountId, expandNodeGroups(environment.cluster.nodeGroups, environment.availabilityZones, environment.names.cluster).length) });
  return { stack, json: parseSynth(Testing.synth(stack)) };
}

const releaseNamed = (json: SynthJson, name: string) => Object.values(resourcesOf(json, "helm_release")).find((r) => r.name === name)!;

describe.each(SHIPPED_ENVIRONMENTS)("PlatformStack (%s)", (envName) => {
  const env = shippedEnvironment(envName);
  const { stack, json } = build(envName);
  const exec = {
    api_version: "client.authentication.k8s.io/v1beta1",
    command: "aws",
    args: ["eks", "get-token", "--cluster-name", `upskill-${envName}`, "--region", env.region],
  };

  test("is <env>-platform, with the primary AWS provider only", () => {
    expect(stack.node.id).toBe(`${envName}-platform`);
    expect((json.provider?.aws ?? []).map((p) => p.region)).toEqual([env.region]);
    expect(json.terraform?.backend?.s3?.key).toBe(`${envName}/platform.tfstate`);
  });

  test("the Kubernetes and Helm providers reach the cluster with exec authentication", () => {
    const ca = '${base64decode("LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t")}';
    expect(json.provider?.kubernetes).toEqual([{ host: "https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com", cluster_ca_certificate: ca, exec: [exec] }]);
    expect(json.provider?.helm).toEqual([{ kubernetes: { host: "https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com", cluster_ca_certificate: ca, exec } }]);
  });

  test("three releases with the configured chart versions", () => {
    const charts = env.platform.charts;
    const releases = Object.values(resourcesOf(json, "helm_release")).map((r) => [r.name, r.chart, r.version]);
    expect(releases.sort()).toEqual([
      ["aws-load-balancer-controller", "aws-load-balancer-controller", charts.awsLoadBalancerController.version],
      ["cluster-autoscaler", "cluster-autoscaler", charts.clusterAutoscaler.version],
      ["metrics-server", "metrics-server", charts.metricsServer.version],
    ]);
  });

  test("each release's values are its helm-values file with the computed values merged over it", () => {
    for (const name of ["aws-load-balancer-controller", "cluster-autoscaler", "metrics-server"]) {
      const values = parse(releaseNamed(json, name).values[0]);
      expect(values).toMatchObject({ ...readHelmValues(name), nodeSelector: { "upskill.io/node-class": "core" } });
    }
  });

  test("the load balancer controller: cluster, region, VPC, its role's service account, its published policy", () => {
    const values = parse(releaseNamed(json, "aws-load-balancer-controller").values[0]);
    expect(values).toMatchObject({
      clusterName: `upskill-${envName}`,
      region: env.region,
      vpcId: "vpc-0fake",
      serviceAccount: { name: "aws-load-balancer-controller" },
      replicaCount: 2,
      podDisruptionBudget: { maxUnavailable: 1 },
    });
    const role = Object.values(resourcesOf(json, "aws_iam_role")).find((r) => r.name === `upskill-${envName}-aws-load-balancer-controller`);
    expect(role).toBeDefined();
    const policies = Object.values(resourcesOf(json, "aws_iam_role_policy")).map((p) => JSON.parse(p.policy).Statement);
    expect(policies).toContainEqual(AWS_LOAD_BALANCER_CONTROLLER_POLICY);
  });

  test("the load balancer controller fails safe: no Service mutator webhook, its TLS secret kept across upgrades", () => {
    const values = parse(releaseNamed(json, "aws-load-balancer-controller").values[0]);
    // The chart's defaults are true and false: a controller outage would block every Service CREATE, and each upgrade would rotate the webhook certificate.
    expect(values.enableServiceMutatorWebhook).toBe(false);
    expect(values.keepTLSSecret).toBe(true);
  });

  test("metrics-server rolls one pod at a time without a surge node (one pod per node) and spreads over zones", () => {
    const values = parse(releaseNamed(json, "metrics-server").values[0]);
    expect(values.updateStrategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
    expect(values.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe("kubernetes.io/hostname");
    expect(values.topologySpreadConstraints).toEqual([expect.objectContaining({ topologyKey: "topology.kubernetes.io/zone", maxSkew: 1 })]);
  });

  test("cluster-autoscaler: the image of the cluster's minor version, Spot preferred, scaling only tagged groups", () => {
    const values = parse(releaseNamed(json, "cluster-autoscaler").values[0]);
    expect(values.image.tag).toBe(CLUSTER_AUTOSCALER_IMAGES[env.cluster.kubernetesVersion]);
    expect(values.image.tag.startsWith(`v${env.cluster.kubernetesVersion}.`)).toBe(true);
    expect(values.autoDiscovery.clusterName).toBe(`upskill-${envName}`);
    // One Auto Scaling group per AZ of each class, each in its class's priority.
    const expanded = expandNodeGroups(env.cluster.nodeGroups, env.availabilityZones, env.names.cluster);
    const asgs = (type: string) => expanded.flatMap((g, i) => (g.config.capacityType === type ? [`^eks-upskill-${envName}-group${i}-0000$`] : []));
    expect(values.expanderPriorities["50"]).toEqual(asgs("SPOT"));
    expect(values.expanderPriorities["10"]).toEqual(asgs("ON_DEMAND"));
    expect(asgs("SPOT")).toHaveLength(env.availabilityZones.length);
    expect(values.extraArgs).toMatchObject({ "balance-similar-node-groups": true, "skip-nodes-with-system-pods": false, expander: "priority,least-waste" });
    const statements = Object.values(resourcesOf(json, "aws_iam_role_policy"))
      .map((p) => JSON.parse(p.policy).Statement)
      .find((s) => JSON.stringify(s).includes("autoscaling:SetDesiredCapacity"));
    const write = statements.find((s: any) => s.Action.includes("autoscaling:SetDesiredCapacity"));
    expect(write.Condition).toEqual({ StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/upskill-${envName}`]: "owned" } });
  });

  test("metrics-server and the autoscaler install after the load balancer controller", () => {
    const lbc = Object.entries(resourcesOf(json, "helm_release")).find(([, r]) => r.name === "aws-load-balancer-controller")![0];
    for (const name of ["cluster-autoscaler", "metrics-server"]) expect(releaseNamed(json, name).depends_on).toContain(`helm_release.${lbc}`);
  });

  test("the default storage class: gp3, encrypted with the cluster's EBS key, tagged for backups; gp2 no longer default", () => {
    const [sc] = Object.values(resourcesOf(json, "kubernetes_storage_class_v1"));
    expect(sc).toMatchObject({
      metadata: { name: "gp3-encrypted", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
      storage_provisioner: "ebs.csi.aws.com",
      parameters: {
        type: "gp3",
        encrypted: "true",
        kmsKeyId: `arn:aws:kms:eu-west-1:${env.accountId}:key/ebs`,
        tagSpecification_1: `upskill.io/backup=upskill-${envName}-volumes`,
      },
      volume_binding_mode: "WaitForFirstConsumer",
      allow_volume_expansion: true,
      reclaim_policy: "Retain",
    });
    expect(Object.values(resourcesOf(json, "kubernetes_annotations"))).toEqual([
      expect.objectContaining({ kind: "StorageClass", metadata: { name: "gp2" }, annotations: { "storageclass.kubernetes.io/is-default-class": "false" }, force: true }),
    ]);
  });

  test("creates no cluster of its own", () => {
    expect(resourcesOf(json, "aws_eks_cluster")).toEqual({});
  });
});

describe("PlatformStack wiring checks", () => {
  test("refuses a cluster layer with a different number of Auto Scaling groups than node groups", () => {
    const environment = shippedEnvironment("dev");
    const props = fakes("dev", environment.accountId, 1);
    expect(() => new PlatformStack(testApp(), { environment, ...props })).toThrow(
      "PlatformStack dev-platform: the cluster layer gave 1 Auto Scaling groups for 4 node groups",
    );
  });

  test("a helm-values file that is not a mapping is refused with its path", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "helm-values-"));
    fs.writeFileSync(path.join(dir, "x.yaml"), "- a\n- b\n");
    expect(() => readHelmValues("x", dir)).toThrow(/x\.yaml: must be a YAML mapping of chart values/);
    expect(() => readHelmValues("missing", dir)).toThrow(/missing\.yaml: missing; every Helm release reads its static values/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
