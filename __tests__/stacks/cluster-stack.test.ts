import { Testing, Token } from "cdktf";
import { ClusterStack, type ClusterNetwork } from "../../stacks/cluster-stack";
import { parseSynth, resourcesOf, shippedEnvironment, testApp, type SynthJson } from "../support/fixtures";

/** A literal stand-in for the network layer's outputs: one private subnet per AZ. */
function fakeNetwork(azCount: number): ClusterNetwork {
  return {
    vpcId: "vpc-1",
    privateSubnetIds: Array.from({ length: azCount }, (_, i) => `subnet-private-${i}`),
    securityGroupIds: { nodes: "sg-nodes" },
  };
}

const cache = new Map<string, { stack: ClusterStack; json: SynthJson }>();
function synthCluster(envName: "dev" | "staging" | "prod") {
  if (!cache.has(envName)) {
    const environment = shippedEnvironment(envName);
    const stack = new ClusterStack(testApp(), { environment, network: fakeNetwork(environment.availabilityZones.length) });
    cache.set(envName, { stack, json: parseSynth(Testing.synth(stack)) });
  }
  return cache.get(envName)!;
}

const only = <T>(o: Record<string, T>): T => {
  const values = Object.values(o);
  expect(values).toHaveLength(1);
  return values[0];
};

describe.each(["dev", "staging", "prod"] as const)("ClusterStack %s", (envName) => {
  test("is the <env>-cluster stack with its state in the environment's backend", () => {
    const { stack, json } = synthCluster(envName);
    expect(stack.node.id).toBe(`${envName}-cluster`);
    expect(json.terraform?.backend?.s3?.key).toBe(`${envName}/cluster.tfstate`);
  });

  test("runs the configured Kubernetes version over every AZ's private subnet, with API authentication", () => {
    const { json } = synthCluster(envName);
    const env = shippedEnvironment(envName);
    const cluster = only(resourcesOf(json, "aws_eks_cluster"));
    expect(cluster.name).toBe(`upskill-${envName}`);
    expect(cluster.version).toBe(env.cluster.kubernetesVersion);
    expect(cluster.vpc_config.subnet_ids).toEqual(env.availabilityZones.map((_, i) => `subnet-private-${i}`));
    expect(cluster.access_config).toEqual({ authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false });
    // Shipped: private endpoint only (CI runs in the VPC).
    expect(env.cluster.publicAccessCidrs).toEqual([]);
    expect(cluster.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: false });
    expect(cluster.vpc_config.public_access_cidrs).toBeUndefined();
  });

  test("CI runners: a CodeBuild project in the private subnets, found the bootstrap layer's connection by name, admitted on 443 by the control plane", () => {
    const { json, stack } = synthCluster(envName);
    const env = shippedEnvironment(envName);
    const project = only(resourcesOf(json, "aws_codebuild_project"));
    expect(project.name).toBe(`upskill-${envName}-runner`);
    expect(project.vpc_config.vpc_id).toBe("vpc-1");
    expect(project.vpc_config.subnets).toEqual(env.availabilityZones.map((_, i) => `subnet-private-${i}`));
    expect(project.environment.compute_type).toBe(env.cicd.runner.type === "codebuild" ? env.cicd.runner.computeType : undefined);
    expect(project.source.auth.resource).toBe("${data.aws_codestarconnections_connection.github-connection.arn}");
    const connection = (json as any).data.aws_codestarconnections_connection["github-connection"];
    expect(connection.name).toBe(`upskill-${envName}-gh`);
    // A PENDING connection (handshake not done) stops the plan with the step to take, before CodeBuild's webhook fails at apply.
    // The rehearsal evaluates this condition in Terraform with the connection AVAILABLE.
    expect(connection.lifecycle.postcondition).toEqual([
      { condition: '\${self.connection_status == "AVAILABLE"}', error_message: expect.stringContaining(`upskill-${envName}-gh (bootstrap layer) is not AVAILABLE: complete its GitHub handshake`) },
    ]);
    // The control plane's security group (EKS's cluster security group) admits the runners' group on 443, and nothing else of it.
    const [runnerSgName] = Object.keys(resourcesOf(json, "aws_security_group"));
    const runnerSg = `\${aws_security_group.${runnerSgName}.id}`;
    expect(project.vpc_config.security_group_ids).toEqual([runnerSg]);
    const fromRunners = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule")).filter((r) => r.referenced_security_group_id === runnerSg);
    expect(fromRunners).toEqual([
      expect.objectContaining({
        security_group_id: expect.stringMatching(/^\$\{aws_eks_cluster\.eks_cluster_[A-F0-9]+\.vpc_config\[0\]\.cluster_security_group_id\}$/),
        ip_protocol: "tcp",
        from_port: 443,
        to_port: 443,
      }),
    ]);
    expect(Token.isUnresolved(stack.runnerProjectName)).toBe(true);
    expect(Token.isUnresolved(stack.runnerSecurityGroupId)).toBe(true);
    expect(stack.runsOn).toBe(`codebuild-upskill-${envName}-runner-\${{ github.run_id }}-\${{ github.run_attempt }}`);
    expect(Object.keys(json.output ?? {})).toEqual(expect.arrayContaining(["runner-project", "runs-on"]));
  });

  test("gives cluster-admin to the CI deploy role", () => {
    const { json } = synthCluster(envName);
    const entries = Object.values(resourcesOf(json, "aws_eks_access_entry"));
    expect(entries.map((e) => e.principal_arn)).toContain(`arn:aws:iam::${shippedEnvironment(envName).accountId}:role/upskill-${envName}-ci-deploy`);
    // One association per admin entry; the plan role's entry has none.
    expect(Object.values(resourcesOf(json, "aws_eks_access_policy_association"))).toHaveLength(entries.length - 1);
  });

  test("gives the CI plan role an access entry in the planners' group, without an EKS access policy (RBAC of the platform and app layers)", () => {
    const { json } = synthCluster(envName);
    const plan = `arn:aws:iam::${shippedEnvironment(envName).accountId}:role/upskill-${envName}-ci-plan`;
    const associations = Object.values(resourcesOf(json, "aws_eks_access_policy_association")).filter((a) => JSON.stringify(a).includes("ci-plan"));
    expect(associations).toEqual([]);
    expect(Object.values(resourcesOf(json, "aws_eks_access_entry")).find((e) => e.principal_arn === plan)?.kubernetes_groups).toEqual(["upskill:ci-planners"]);
  });

  test("builds one managed node group per AZ of each configured class, in that AZ's subnet only, with the node security group only (not the cluster group's allow-all egress)", () => {
    const { json, stack } = synthCluster(envName);
    const env = shippedEnvironment(envName);
    const groups = Object.values(resourcesOf(json, "aws_eks_node_group"));
    const expected = env.cluster.nodeGroups.flatMap((g) => env.availabilityZones.map((az) => `upskill-${envName}-${g.name}-${az}`));
    expect(groups.map((g) => g.node_group_name).sort()).toEqual(expected.sort());
    for (const g of groups) {
      const az = /-(\w+-\w+-\d\w)$/.exec(g.node_group_name)![1]!;
      // The autoscaler models a new node from the group's one AZ, so it can serve a pod bound to that zone.
      expect(g.subnet_ids).toEqual([`subnet-private-${env.availabilityZones.indexOf(az)}`]);
      expect(g.tags["k8s.io/cluster-autoscaler/node-template/label/topology.kubernetes.io/zone"]).toBe(az);
      expect(g.tags["k8s.io/cluster-autoscaler/node-template/label/topology.ebs.csi.aws.com/zone"]).toBe(az);
      // Labels are the class's, the same in every AZ (balance-similar-node-groups compares them).
      const cls = env.cluster.nodeGroups.find((c) => g.node_group_name === `upskill-${envName}-${c.name}-${az}`)!;
      expect(g.labels ?? {}).toEqual(cls.labels);
      expect(g.tags).toMatchObject({ "k8s.io/cluster-autoscaler/enabled": "true", [`k8s.io/cluster-autoscaler/upskill-${envName}`]: "owned" });
      expect(g.version).toMatch(/^\$\{aws_eks_cluster\..*\.version\}$/); // follows the control plane
    }
    const templates = Object.values(resourcesOf(json, "aws_launch_template"));
    expect(templates).toHaveLength(expected.length);
    for (const t of templates) {
      expect(t.vpc_security_group_ids[0]).toBe("sg-nodes");
      expect(t.vpc_security_group_ids).toHaveLength(1);
      // Default tags reach the instances and volumes through the launch template.
      expect(t.tag_specifications[0].tags).toMatchObject({ Environment: envName, Layer: "cluster", Project: "upskill" });
    }
    expect(stack.nodeGroupNames).toHaveLength(expected.length);
    expect(stack.autoscalingGroupNames).toHaveLength(expected.length);
  });

  test("upgrade: the first AZ's group of each class takes the state of the class's former all-AZ group (moved blocks)", () => {
    const { json } = synthCluster(envName);
    const env = shippedEnvironment(envName);
    const moved = (json as any).moved as { from: string; to: string }[];
    for (const g of env.cluster.nodeGroups) {
      const first = env.availabilityZones[0]!;
      const [name] = Object.entries(resourcesOf(json, "aws_eks_node_group")).find(([, r]) => r.node_group_name === `upskill-${envName}-${g.name}-${first}`)!;
      // The logical id cdktf gave the group under its former construct id node-group-<class>.
      expect(moved).toContainEqual({ from: expect.stringMatching(new RegExp(`^aws_eks_node_group\\.node-group-${g.name}_node-group_[0-9A-F]{8}$`)), to: `aws_eks_node_group.${name}` });
      const [lt] = Object.entries(resourcesOf(json, "aws_launch_template")).find(([, r]) => r.name === `upskill-${envName}-${g.name}-${first}`)!;
      expect(moved).toContainEqual({ from: expect.stringMatching(new RegExp(`^aws_launch_template\\.node-group-${g.name}_launch-template_[0-9A-F]{8}$`)), to: `aws_launch_template.${lt}` });
    }
    // Only the first AZ's groups move; the other AZs' groups are new.
    expect(moved.filter((m) => m.to.startsWith("aws_eks_node_group."))).toHaveLength(env.cluster.nodeGroups.length);
  });

  test("installs every managed add-on, overwriting conflicts", () => {
    const { json } = synthCluster(envName);
    const addons = Object.values(resourcesOf(json, "aws_eks_addon"));
    expect(addons.map((a) => a.addon_name).sort()).toEqual(
      ["aws-ebs-csi-driver", "coredns", "eks-pod-identity-agent", "kube-proxy", "snapshot-controller", "vpc-cni"].sort(),
    );
    for (const a of addons) expect(a).toMatchObject({ resolve_conflicts_on_create: "OVERWRITE", resolve_conflicts_on_update: "OVERWRITE" });
  });

  test("backs up tagged volumes daily and weekly with the configured retention", () => {
    const { json, stack } = synthCluster(envName);
    const b = shippedEnvironment(envName).cluster.volumeBackups;
    const plan = only(resourcesOf(json, "aws_backup_plan"));
    expect(plan.rule.map((r: any) => [r.rule_name, r.lifecycle.delete_after])).toEqual([
      ["daily", b.dailyRetentionDays],
      ["weekly", b.weeklyRetentionDays],
    ]);
    const selection = only(resourcesOf(json, "aws_backup_selection"));
    expect(selection.condition[0].string_equals).toEqual([{ key: "aws:ResourceTag/upskill.io/backup", value: `upskill-${envName}-volumes` }]);
    expect(stack.volumeBackupTag).toEqual({ key: "upskill.io/backup", value: `upskill-${envName}-volumes` });
    const vaults = Object.values(resourcesOf(json, "aws_backup_vault"));
    expect(vaults).toHaveLength(b.copyToDrRegion ? 2 : 1);
    for (const r of plan.rule) expect(r.copy_action !== undefined).toBe(b.copyToDrRegion);
    expect(stack.drBackupVaultArn !== undefined).toBe(b.copyToDrRegion);
  });

  test("never configures the Kubernetes or Helm providers", () => {
    const { json } = synthCluster(envName);
    expect(Object.keys(json.provider ?? {})).toEqual(["aws"]);
  });
});

describe("ClusterStack per environment", () => {
  test("prod: an on-demand and a Spot group across 3 AZs, public endpoint limited, copies to the DR region", () => {
    const { json, stack } = synthCluster("prod");
    const groups = Object.values(resourcesOf(json, "aws_eks_node_group"));
    const byName = Object.fromEntries(groups.map((g) => [g.node_group_name, g]));
    expect(byName["upskill-prod-core-eu-west-1a"]).toMatchObject({
      capacity_type: "ON_DEMAND",
      instance_types: ["m7i.xlarge"],
      // Per AZ: three groups of 1-3 nodes.
      scaling_config: { min_size: 1, desired_size: 1, max_size: 3 },
      labels: { "upskill.io/node-class": "core" },
    });
    expect(byName["upskill-prod-spot-eu-west-1c"]).toMatchObject({
      capacity_type: "SPOT",
      instance_types: ["m7i.xlarge", "m6i.xlarge", "m7a.xlarge", "m6a.xlarge"],
      taint: [{ key: "upskill.io/spot", value: "true", effect: "NO_SCHEDULE" }],
    });
    expect(groups).toHaveLength(6);
    expect(json.provider?.aws).toHaveLength(2); // primary + DR (backup copies)
    expect(json.provider?.aws?.[1]).toMatchObject({ alias: "dr", region: "eu-central-1" });
    expect(stack.drBackupVaultArn).toBeDefined();
  });

  test("dev: no DR copy (config), so no DR provider", () => {
    const { json, stack } = synthCluster("dev");
    expect(json.provider?.aws).toHaveLength(1);
    expect(stack.drBackupVaultArn).toBeUndefined();
  });

  test("an empty publicAccessCidrs list turns the public endpoint off", () => {
    const environment = { ...shippedEnvironment("staging"), cluster: { ...shippedEnvironment("staging").cluster, publicAccessCidrs: [] } };
    const stack = new ClusterStack(testApp(), { environment, network: fakeNetwork(3) });
    const cluster = only(resourcesOf(parseSynth(Testing.synth(stack)), "aws_eks_cluster"));
    expect(cluster.vpc_config.endpoint_public_access).toBe(false);
    expect(cluster.vpc_config.endpoint_private_access).toBe(true);
    expect(cluster.vpc_config.public_access_cidrs).toBeUndefined();
  });
});

describe("ClusterStack with the data layer", () => {
  test("the control-plane and runner log groups use the data layer's logs key instead of keys of their own", () => {
    const environment = shippedEnvironment("dev");
    const stack = new ClusterStack(testApp(), { environment, network: fakeNetwork(2), data: { logsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/logs" } });
    const json = parseSynth(Testing.synth(stack));
    const groups = Object.values(resourcesOf(json, "aws_cloudwatch_log_group"));
    expect(groups.map((g) => g.name).sort()).toEqual(["/aws/codebuild/upskill-dev-runner", "/aws/eks/upskill-dev/cluster"]);
    for (const g of groups) expect(g.kms_key_id).toBe("arn:aws:kms:eu-west-1:111111111111:key/logs");
    expect(Object.keys(resourcesOf(json, "aws_kms_key")).some((k) => k.includes("logs-key"))).toBe(false);
  });
});

describe("ClusterStack with GitHub-hosted runners (non-production)", () => {
  const base = shippedEnvironment("dev");
  const environment = { ...base, cicd: { ...base.cicd, runner: { type: "github-hosted" as const } }, cluster: { ...base.cluster, publicAccessCidrs: ["0.0.0.0/0"] } };
  const stack = new ClusterStack(testApp(), { environment, network: fakeNetwork(2) });
  const json = parseSynth(Testing.synth(stack));

  test("no runner project, connection lookup or runner security group; runs-on is ubuntu-latest", () => {
    expect(resourcesOf(json, "aws_codebuild_project")).toEqual({});
    expect((json as any).data?.aws_codestarconnections_connection).toBeUndefined();
    expect(resourcesOf(json, "aws_security_group")).toEqual({});
    expect(stack.runnerProjectName).toBeUndefined();
    expect(stack.runsOn).toBe("ubuntu-latest");
  });

  test("the public endpoint open to 0.0.0.0/0 carries the suppression of eks-public-endpoint with its reason", () => {
    const cluster = only(resourcesOf(json, "aws_eks_cluster"));
    expect(cluster.vpc_config.public_access_cidrs).toEqual(["0.0.0.0/0"]);
    // Testing.synth drops the "//" comments; the stack's own Terraform JSON keeps them.
    const full = only((stack.toTerraform() as any).resource.aws_eks_cluster as Record<string, any>);
    expect(full["//"].suppressions).toEqual([{ rule: "eks-public-endpoint", reason: expect.stringContaining("GitHub-hosted runners") }]);
  });
});
