import { Construct } from "constructs";
import { Token, type ITerraformDependable, type TerraformProvider } from "cdktf";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { AutoscalingGroupTagA } from "@cdktf/provider-aws/lib/autoscaling-group-tag";
import { cpuArchitecture } from "./instance-types";

export type CapacityType = "ON_DEMAND" | "SPOT";
export type TaintEffect = "NO_SCHEDULE" | "NO_EXECUTE" | "PREFER_NO_SCHEDULE";

export interface NodeTaint {
  readonly key: string;
  /** Default: no value. */
  readonly value?: string;
  readonly effect: TaintEffect;
}

export interface NodeGroupProps {
  /** The cluster (name or reference to it). */
  readonly clusterName: string;
  /** Node group name, `<cluster>-<group>` (at most 63 characters); also names the launch template. */
  readonly name: string;
  readonly nodeRoleArn: string;
  /** Private subnets of every AZ the group spreads over. */
  readonly subnetIds: readonly string[];
  /** The node security group (network layer) and the cluster security group (EKS); a launch template's groups replace EKS's default. */
  readonly securityGroupIds: readonly string[];
  /** Customer-managed key that encrypts the root volumes. */
  readonly ebsKmsKeyArn: string;
  readonly capacityType: CapacityType;
  /** One architecture; a SPOT group lists several types of one size. */
  readonly instanceTypes: readonly string[];
  /**
   * The one AZ of a zonal group (its subnets are that AZ's): tagged as the node template's zone so
   * the autoscaler can scale it from zero for pods that need that zone. Default: none (a group over several AZs).
   */
  readonly availabilityZone?: string;
  readonly minSize: number;
  /** The initial size only: the cluster-autoscaler owns it afterwards (ignored on later plans). */
  readonly desiredSize: number;
  readonly maxSize: number;
  /** Root volume size (GiB). Default: 50. */
  readonly diskSizeGb?: number;
  /** Share of nodes replaced at once during an update. Default: 33. */
  readonly maxUnavailablePercentage?: number;
  /** Kubernetes node labels. Default: none. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Kubernetes node taints. Default: none. */
  readonly taints?: readonly NodeTaint[];
  /** Kubernetes version of the nodes. Default: the cluster's at creation, never upgraded by this code; pass the cluster's version reference to follow it. */
  readonly kubernetesVersion?: string;
  /**
   * IMDSv2 response hop limit. Default: 1, which keeps containers (one hop behind the
   * node) off IMDS and so off the node role's credentials: every workload uses Pod
   * Identity, and the add-ons get region and VPC from their values. 2 only for a
   * workload that must read instance metadata itself.
   */
  readonly metadataHopLimit?: 1 | 2;
  /** Tags of the instances, volumes and network interfaces the group launches (provider default tags do not reach them). Default: Name only. */
  readonly tags?: Readonly<Record<string, string>>;
  /** Whether EKS replaces nodes that fail health checks. Default: true. */
  readonly nodeRepair?: boolean;
  /** What the group must wait for (the cluster's networking add-ons, the node role's policies). Default: nothing. */
  readonly dependsOn?: readonly ITerraformDependable[];
  /** Default: the stack's default AWS provider. */
  readonly provider?: TerraformProvider;
}

/** Kubernetes' spelling of a taint effect, as the cluster-autoscaler's node-template tags want it. */
export const KUBERNETES_TAINT_EFFECT: Readonly<Record<TaintEffect, string>> = {
  NO_SCHEDULE: "NoSchedule",
  NO_EXECUTE: "NoExecute",
  PREFER_NO_SCHEDULE: "PreferNoSchedule",
};

const AUTOSCALER = "k8s.io/cluster-autoscaler";

/**
 * A managed node group with its own launch template: IMDSv2 required, encrypted
 * gp3 root volume with the given key, node and cluster security groups, tags on
 * what it launches; spread over every given subnet; sizes from the caller with the
 * desired size left to the cluster-autoscaler, whose auto-discovery and
 * scale-from-zero node-template tags it carries (on the group and its ASG).
 */
export class NodeGroup extends Construct {
  readonly nodeGroup: EksNodeGroup;
  readonly launchTemplate: LaunchTemplate;
  readonly nodeGroupName: string;
  readonly nodeGroupArn: string;
  /** The Auto Scaling group EKS made for the group. */
  readonly autoscalingGroupName: string;
  /** Tags that tell the cluster-autoscaler the labels and taints of a node before one exists. */
  readonly nodeTemplateTags: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: NodeGroupProps) {
    super(scope, id);
    validate(id, props);
    const { provider } = props;
    const labels = props.labels ?? {};
    const taints = props.taints ?? [];
    const instanceTags = { Name: props.name, ...(props.tags ?? {}) };
    const arm = cpuArchitecture(props.instanceTypes[0]) === "arm64";

    this.launchTemplate = new LaunchTemplate(this, "launch-template", {
      name: props.name,
      description: `EKS managed node group ${props.name}`,
      updateDefaultVersion: true,
      vpcSecurityGroupIds: [...props.securityGroupIds],
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: props.metadataHopLimit ?? 1,
        instanceMetadataTags: "disabled",
      },
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: {
            volumeSize: props.diskSizeGb ?? 50,
            volumeType: "gp3",
            encrypted: "true",
            kmsKeyId: props.ebsKmsKeyArn,
            deleteOnTermination: "true",
          },
        },
      ],
      tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({ resourceType, tags: instanceTags })),
      provider,
    });

    this.nodeTemplateTags = {
      [`${AUTOSCALER}/node-template/label/eks.amazonaws.com/capacityType`]: props.capacityType,
      ...Object.fromEntries(Object.entries(labels).map(([k, v]) => [`${AUTOSCALER}/node-template/label/${k}`, v])),
      ...(props.availabilityZone
        ? {
            [`${AUTOSCALER}/node-template/label/topology.kubernetes.io/zone`]: props.availabilityZone,
            // The EBS CSI driver's topology key, which gp3 volumes' node affinity names.
            [`${AUTOSCALER}/node-template/label/topology.ebs.csi.aws.com/zone`]: props.availabilityZone,
          }
        : {}),
      ...Object.fromEntries(taints.map((t) => [`${AUTOSCALER}/node-template/taint/${t.key}`, `${t.value ?? ""}:${KUBERNETES_TAINT_EFFECT[t.effect]}`])),
    };

    this.nodeGroup = new EksNodeGroup(this, "node-group", {
      clusterName: props.clusterName,
      nodeGroupName: props.name,
      nodeRoleArn: props.nodeRoleArn,
      subnetIds: [...props.subnetIds],
      capacityType: props.capacityType,
      instanceTypes: [...props.instanceTypes],
      amiType: arm ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD",
      version: props.kubernetesVersion,
      launchTemplate: { id: this.launchTemplate.id, version: Token.asString(this.launchTemplate.latestVersion) },
      scalingConfig: { minSize: props.minSize, desiredSize: props.desiredSize, maxSize: props.maxSize },
      updateConfig: { maxUnavailablePercentage: props.maxUnavailablePercentage ?? 33 },
      nodeRepairConfig: { enabled: props.nodeRepair ?? true },
      labels: Object.keys(labels).length > 0 ? { ...labels } : undefined,
      // The node group API spells effects NO_SCHEDULE, NO_EXECUTE, PREFER_NO_SCHEDULE, as the config does.
      taint: taints.length > 0 ? taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })) : undefined,
      tags: {
        [`${AUTOSCALER}/enabled`]: "true",
        [`${AUTOSCALER}/${props.clusterName}`]: "owned",
        ...this.nodeTemplateTags,
      },
      // A replacement (new name, subnets) brings the new group up before the old one drains.
      lifecycle: { ignoreChanges: ["scaling_config[0].desired_size"], createBeforeDestroy: true },
      dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
      provider,
    });

    this.nodeGroupName = this.nodeGroup.nodeGroupName;
    this.nodeGroupArn = this.nodeGroup.arn;
    this.autoscalingGroupName = this.nodeGroup.resources.get(0).autoscalingGroups.get(0).name;

    // EKS puts the auto-discovery tags on the ASG itself, but not the node-template
    // ones, which the autoscaler needs to scale a group up from zero nodes.
    Object.entries(this.nodeTemplateTags).forEach(([key, value]) => {
      new AutoscalingGroupTagA(this, `asg-tag-${key.slice(`${AUTOSCALER}/node-template/`.length).replace(/[^A-Za-z0-9-]/g, "-")}`, {
        autoscalingGroupName: this.autoscalingGroupName,
        tag: { key, value, propagateAtLaunch: false },
        provider,
      });
    });
  }
}

function validate(id: string, props: NodeGroupProps): void {
  const fail = (msg: string): never => {
    throw new Error(`NodeGroup ${id}: ${msg}`);
  };
  if (!/^[0-9A-Za-z][A-Za-z0-9_-]{0,62}$/.test(props.name)) fail(`name must be 1-63 letters, digits, '-' and '_', got "${props.name}"`);
  if (props.instanceTypes.length === 0) fail("instanceTypes must list at least one instance type");
  const arches = new Set(props.instanceTypes.map(cpuArchitecture));
  if (arches.size > 1) fail(`instanceTypes mix arm64 and x86_64 (${props.instanceTypes.join(", ")}); one architecture per group`);
  if (props.minSize < 0 || props.minSize > props.maxSize) fail(`minSize (${props.minSize}) must be between 0 and maxSize (${props.maxSize})`);
  if (props.desiredSize < props.minSize || props.desiredSize > props.maxSize) fail(`desiredSize (${props.desiredSize}) must be between minSize and maxSize`);
  if (props.maxSize < 1) fail("maxSize must be at least 1");
  if (!Token.isUnresolved(props.subnetIds) && props.subnetIds.length === 0) fail("subnetIds must list the private subnets of every AZ");
  if (props.securityGroupIds.length === 0) fail("securityGroupIds must hold the node and cluster security groups");
  const pct = props.maxUnavailablePercentage ?? 33;
  if (!Number.isInteger(pct) || pct < 1 || pct > 100) fail(`maxUnavailablePercentage must be 1-100, got ${pct}`);
  const disk = props.diskSizeGb ?? 50;
  if (!Number.isInteger(disk) || disk < 20) fail(`diskSizeGb must be a whole number of at least 20 (the AMI needs it), got ${disk}`);
}
