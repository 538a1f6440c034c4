import type { Construct } from "constructs";
import { Fn, TerraformOutput, TerraformResource, Token, type TerraformStack } from "cdktf";
import { DataAwsCodestarconnectionsConnection } from "@cdktf/provider-aws/lib/data-aws-codestarconnections-connection";
import { CiRunner } from "../modules/ci-runner/ci-runner";
import { githubConnectionName, runsOnLabel } from "../modules/ci-runner/runs-on";
import { expandNodeGroups } from "../modules/node-group/zonal-groups";
import { KmsKey } from "../modules/kms-key/kms-key";
import { EksCluster } from "../modules/eks-cluster/eks-cluster";
import { NodeRole } from "../modules/node-group/node-role";
import { ControlPlaneNodeRules } from "../modules/eks-cluster/control-plane-node-rules";
import { NodeGroup } from "../modules/node-group/node-group";
import { NodeAddons } from "../modules/eks-addons/node-addons";
import { ServiceAddons } from "../modules/eks-addons/service-addons";
import { VolumeBackup } from "../modules/volume-backup/volume-backup";
import { LayerStack, type LayerStackProps } from "./layer-stack";
import { previousLogicalId } from "./previous-logical-id";

/** What the cluster layer reads from the network layer. */
export interface ClusterNetwork {
  /** The VPC of the subnets (the CI runners' network interfaces). */
  readonly vpcId: string;
  /** Private (node) subnets, one per AZ, in AZ order. */
  readonly privateSubnetIds: readonly string[];
  readonly securityGroupIds: { readonly nodes: string };
}

/** What the cluster layer reads from the data layer, when it is given. */
export interface ClusterData {
  /** The key of every log group after the network layer. */
  readonly logsKeyArn: string;
}

export interface ClusterStackProps extends LayerStackProps {
  readonly network: ClusterNetwork;
  /** Default: none; the control-plane log group then gets a key of its own in this layer. */
  readonly data?: ClusterData;
}

/** The tag key the backup plan selects volumes by; the value is `<prefix>-volumes`. */
export const VOLUME_BACKUP_TAG_KEY = "upskill.io/backup";

/**
 * `<env>-cluster`: the EKS cluster (access entries, encrypted secrets, all
 * control-plane logs), the node role and launch-templated managed node groups,
 * the managed add-ons with their Pod Identity roles, the EBS key, and AWS Backup
 * snapshots of the persistent volumes with copies to the DR region.
 *
 * The Kubernetes and Helm providers are never configured here (platform layer), so
 * a plan of this stack never needs a cluster that does not exist yet.
 */
export class ClusterStack extends LayerStack {
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly clusterEndpoint: string;
  readonly clusterCertificateAuthorityData: string;
  readonly clusterSecurityGroupId: string;
  /** The control plane's Kubernetes version (e.g. "1.35"). */
  readonly clusterVersion: string;
  readonly nodeGroupNames: string[];
  /** The Auto Scaling group of each node group, in nodeGroupNames' order. */
  readonly autoscalingGroupNames: string[];
  readonly nodeRoleArn: string;
  readonly ebsKmsKeyArn: string;
  readonly backupVaultName: string;
  /** The DR copy vault; undefined when `cluster.volumeBackups.copyToDrRegion` is false. */
  readonly drBackupVaultArn?: string;
  /** The tag a volume carries to be backed up (the platform's storage class sets it). */
  readonly volumeBackupTag: { readonly key: string; readonly value: string };
  /** The CI deploy role given cluster-admin (named by the bootstrap layer). */
  readonly ciDeployRoleArn: string;
  /** The CI plan role given read-only access, so plans of the platform and app layers can read the cluster. */
  readonly ciPlanRoleArn: string;
  /** The CodeBuild runner project; undefined when `cicd.runner.type` is github-hosted. */
  readonly runnerProjectName?: string;
  /** The runners' security group (admitted on 443 by the control plane); undefined without CodeBuild runners. */
  readonly runnerSecurityGroupId?: string;
  /** The `runs-on` of the jobs that need the cluster's API (`runsOnLabel`, modules/ci-runner/runs-on.ts). */
  readonly runsOn: string;

  constructor(scope: Construct, props: ClusterStackProps) {
    super(scope, "cluster", props);
    const env = this.environment;
    const prefix = env.names.prefix;
    const c = env.cluster;
    const subnetIds = props.network.privateSubnetIds;

    // The bootstrap layer's GithubCiRoles names the deploy role `<prefix>-ci-deploy`.
    this.ciDeployRoleArn = `arn:aws:iam::${env.accountId}:role/${prefix}-ci-deploy`;
    this.ciPlanRoleArn = `arn:aws:iam::${env.accountId}:role/${prefix}-ci-plan`;

    // CI runners in the private subnets, which reach the private endpoint (docs/ci-runners.md).
    const runnerConfig = env.cicd.runner;
    const runner =
      runnerConfig.type === "codebuild"
        ? new CiRunner(this, "ci-runner", {
            namePrefix: prefix,
            accountId: env.accountId,
            region: env.region,
            repository: env.cicd.repository,
            connectionArn: githubConnection(this, prefix).arn,
            vpcId: props.network.vpcId,
            subnetIds,
            computeType: runnerConfig.computeType,
            image: runnerConfig.image,
            timeoutMinutes: runnerConfig.timeoutMinutes,
            concurrentBuildLimit: runnerConfig.concurrentBuildLimit,
            logRetentionDays: env.logRetentionDays,
            logsKeyArn: props.data?.logsKeyArn,
          })
        : undefined;

    const eks = new EksCluster(this, "eks", {
      name: env.names.cluster,
      kubernetesVersion: c.kubernetesVersion,
      accountId: env.accountId,
      region: env.region,
      namePrefix: prefix,
      subnetIds,
      publicAccessCidrs: c.publicAccessCidrs,
      endpointPrivateAccess: c.endpointPrivateAccess,
      // Config allows 0.0.0.0/0 only here (rule publicAccessCidrs / ciReachesCluster).
      openPublicEndpointReason:
        !env.isProduction && runnerConfig.type === "github-hosted" && c.publicAccessCidrs.includes("0.0.0.0/0")
          ? "non-production environment whose CI runs on GitHub-hosted runners (cicd.runner.type github-hosted), whose addresses are not enumerable within EKS's 40 CIDRs"
          : undefined,
      apiClientSecurityGroupIds: runner ? { "ci-runners": runner.securityGroupId } : undefined,
      adminRoleArns: [this.ciDeployRoleArn, ...c.adminRoleArns],
      viewerRoleArns: [this.ciPlanRoleArn],
      logRetentionDays: env.logRetentionDays,
      logsKeyArn: props.data?.logsKeyArn,
      supportType: c.supportType,
    });

    const ebsKey = new KmsKey(this, "ebs-key", {
      alias: `${prefix}/ebs`,
      description: `EBS volumes of EKS cluster ${env.names.cluster} (node root volumes and persistent volumes)`,
      accountId: env.accountId,
      // EC2 Auto Scaling's service-linked role launches the nodes; no IAM policy can be added to it.
      viaServiceGrants: [
        {
          sid: "EbsThroughEc2ForAccountPrincipals",
          viaService: `ec2.${env.region}.amazonaws.com`,
          actions: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"],
        },
      ],
    });

    const nodeRole = new NodeRole(this, "node-role", { name: `${prefix}-eks-node` });

    const nodeAddons = new NodeAddons(this, "node-addons", {
      clusterName: eks.clusterName,
      kubernetesVersion: eks.version,
      accountId: env.accountId,
      namePrefix: prefix,
      versions: { vpcCni: c.addonVersions.vpcCni, kubeProxy: c.addonVersions.kubeProxy, podIdentityAgent: c.addonVersions.podIdentityAgent },
    });

    const controlPlaneRules = new ControlPlaneNodeRules(this, "control-plane-node-rules", {
      clusterSecurityGroupId: eks.clusterSecurityGroupId,
      nodeSecurityGroupId: props.network.securityGroupIds.nodes,
    });

    // One managed node group per AZ of each zonal class (config keeps one entry per class).
    const expanded = expandNodeGroups(c.nodeGroups, env.availabilityZones, env.names.cluster);
    const groups = expanded.map((x) => {
      const g = x.config;
      const group = new NodeGroup(this, x.id, {
        // The literal name, so the autoscaler's tag keys read plainly; the version and
        // add-on references below make the group wait for the cluster.
        clusterName: env.names.cluster,
        name: x.name,
        nodeRoleArn: nodeRole.roleArn,
        // A cross-stack list is a token: pick its AZ's subnet with element().
        subnetIds: x.subnetIndexes.map((i) => (Token.isUnresolved(subnetIds) ? Fn.element(subnetIds, i) : subnetIds[i]!)),
        availabilityZone: x.availabilityZones.length === 1 ? x.availabilityZones[0] : undefined,
        // The node group's own rules only: the cluster security group's egress allows everything.
        securityGroupIds: [props.network.securityGroupIds.nodes],
        ebsKmsKeyArn: ebsKey.keyArn,
        capacityType: g.capacityType,
        instanceTypes: g.instanceTypes,
        minSize: g.minSize,
        desiredSize: g.desiredSize,
        maxSize: g.maxSize,
        diskSizeGb: g.diskSizeGb,
        maxUnavailablePercentage: g.maxUnavailablePercentage,
        labels: g.labels,
        taints: g.taints,
        kubernetesVersion: eks.version,
        tags: this.defaultTags,
        dependsOn: [...nodeAddons.dependables, ...nodeRole.attachments, ...controlPlaneRules.dependables],
      });
      if (x.previousId) moveFromPreviousGroup(this, group, x.previousId);
      return group;
    });

    new ServiceAddons(this, "service-addons", {
      clusterName: eks.clusterName,
      kubernetesVersion: eks.version,
      accountId: env.accountId,
      namePrefix: prefix,
      ebsKmsKeyArn: ebsKey.keyArn,
      versions: { coredns: c.addonVersions.coredns, ebsCsiDriver: c.addonVersions.ebsCsiDriver, snapshotController: c.addonVersions.snapshotController },
      dependsOn: groups.map((g) => g.nodeGroup),
    });

    this.volumeBackupTag = { key: VOLUME_BACKUP_TAG_KEY, value: `${prefix}-volumes` };
    const backup = new VolumeBackup(this, "volume-backup", {
      namePrefix: prefix,
      accountId: env.accountId,
      region: env.region,
      selectionTag: this.volumeBackupTag,
      dailyRetentionDays: c.volumeBackups.dailyRetentionDays,
      weeklyRetentionDays: c.volumeBackups.weeklyRetentionDays,
      drProvider: c.volumeBackups.copyToDrRegion ? this.drProvider : undefined,
      vaultLock: c.volumeBackups.vaultLock,
    });

    this.clusterName = eks.clusterName;
    this.clusterArn = eks.clusterArn;
    this.clusterEndpoint = eks.endpoint;
    this.clusterCertificateAuthorityData = eks.certificateAuthorityData;
    this.clusterSecurityGroupId = eks.clusterSecurityGroupId;
    this.clusterVersion = eks.version;
    this.nodeGroupNames = groups.map((g) => g.nodeGroupName);
    this.autoscalingGroupNames = groups.map((g) => g.autoscalingGroupName);
    this.nodeRoleArn = nodeRole.roleArn;
    this.ebsKmsKeyArn = ebsKey.keyArn;
    this.backupVaultName = backup.vaultName;
    this.drBackupVaultArn = backup.drVaultArn;
    this.runnerProjectName = runner?.projectName;
    this.runnerSecurityGroupId = runner?.securityGroupId;
    this.runsOn = runsOnLabel(env);
    if (runner) new TerraformOutput(this, "runner-project", { value: runner.projectName, description: "CodeBuild project of the GitHub Actions runners in the VPC" });
    // The workflows' runs-on for the platform and app layers. Joined from pieces that never hold `${`, so
    // Terraform does not read GitHub's `${{ }}` as its own interpolation (cdktf passes no `$${` escape through).
    new TerraformOutput(this, "runs-on", { value: Fn.join("$", this.runsOn.split("$")), description: "runs-on label of the jobs that need the cluster's API (platform, app)" });
  }
}

/**
 * The bootstrap layer's GitHub connection, found by name (its state is local, so no cross-stack
 * reference). CodeBuild creates the runners' repository webhook through it, which fails at apply
 * while the connection is PENDING: the plan stops first, saying which manual step is missing.
 */
function githubConnection(stack: TerraformStack, prefix: string): DataAwsCodestarconnectionsConnection {
  const name = githubConnectionName(prefix);
  return new DataAwsCodestarconnectionsConnection(stack, "github-connection", {
    name,
    lifecycle: {
      postcondition: [
        {
          condition: '${self.connection_status == "AVAILABLE"}',
          errorMessage: `The CodeConnections connection ${name} (bootstrap layer) is not AVAILABLE: complete its GitHub handshake in the console (Developer Tools > Settings > Connections > ${name} > Update pending connection), see docs/runbook.md step 1.`,
        },
      ],
    },
  });
}

/**
 * Upgrade from one group per class over every AZ (construct id `node-group-<class>`) to one per AZ:
 * `moved` blocks hand the old group's state to the first AZ's group, whose new name and subnets
 * then replace it, created before the old one is destroyed (docs/architecture.md, Upgrade notes).
 * Each resource's previous address is its logical id under the old construct id.
 */
function moveFromPreviousGroup(stack: TerraformStack, group: NodeGroup, previousId: string): void {
  const oldPath = `${previousId}/`;
  for (const child of group.node.findAll()) {
    if (!(child instanceof TerraformResource)) continue;
    const relative = child.node.path.slice(group.node.path.length + 1);
    child.moveFromId(`${child.terraformResourceType}.${previousLogicalId(stack, `${oldPath}${relative}`)}`);
  }
}
