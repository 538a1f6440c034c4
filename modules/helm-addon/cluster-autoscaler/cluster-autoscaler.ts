import type { Construct } from "constructs";
import { Token, type ITerraformDependable } from "cdktf";
import type { IamPolicyStatement } from "../../workload-role/workload-role";
import { HelmAddOn } from "../helm-addon";
import type { HelmValues } from "../values";

export const CLUSTER_AUTOSCALER_CHART = { repository: "https://kubernetes.github.io/autoscaler", chart: "cluster-autoscaler" } as const;

/** A node group the autoscaler may grow. */
export interface AutoscaledNodeGroup {
  /** The name of the group's Auto Scaling group (what the priority expander matches); literal or a reference. */
  readonly autoscalingGroupName: string;
  readonly capacityType: "ON_DEMAND" | "SPOT";
}

export interface ClusterAutoscalerProps {
  readonly version: string;
  /** The autoscaler image tag, `v1.<minor>.<patch>` with the cluster's minor version. */
  readonly imageTag: string;
  readonly clusterName: string;
  readonly region: string;
  readonly accountId: string;
  /** IAM role name of the autoscaler's service account. */
  readonly roleName: string;
  /** The node groups, for the priority expander: Spot is preferred, on-demand next, anything else last. */
  readonly nodeGroups: readonly AutoscaledNodeGroup[];
  /** Values from `helm-values/cluster-autoscaler.yaml`. Default: none. */
  readonly fileValues?: HelmValues;
  /** Node labels the autoscaler must run on. Default: none (any node). */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** Default: "kube-system". */
  readonly namespace?: string;
  /** Default: "cluster-autoscaler". */
  readonly serviceAccount?: string;
  /** Default: none. */
  readonly dependsOn?: readonly (HelmAddOn | ITerraformDependable)[];
}

/** Priorities of the priority expander (higher wins among the groups that fit the pending pods). */
export const EXPANDER_PRIORITY = { SPOT: 50, ON_DEMAND: 10, other: 1 } as const;

/** The auto-discovery tag EKS puts on a managed node group's Auto Scaling group. */
export const clusterOwnershipTag = (clusterName: string) => `k8s.io/cluster-autoscaler/${clusterName}`;

/**
 * The autoscaler's permissions (cluster-autoscaler's AWS README, "Full Cluster
 * Autoscaler Features Policy", 1.35): read-only calls on every resource, and
 * scaling calls only on Auto Scaling groups tagged as owned by this cluster.
 */
export function clusterAutoscalerStatements(clusterName: string): IamPolicyStatement[] {
  return [
    {
      Sid: "DescribeScalingResources",
      Effect: "Allow",
      Action: [
        "autoscaling:DescribeAutoScalingGroups",
        "autoscaling:DescribeAutoScalingInstances",
        "autoscaling:DescribeLaunchConfigurations",
        "autoscaling:DescribeScalingActivities",
        "ec2:DescribeImages",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeLaunchTemplateVersions",
        "ec2:GetInstanceTypesFromInstanceRequirements",
        "eks:DescribeNodegroup",
      ],
      Resource: "*",
    },
    {
      Sid: "ScaleOnlyThisClustersGroups",
      Effect: "Allow",
      Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
      Resource: "*",
      Condition: { StringEquals: { [`aws:ResourceTag/${clusterOwnershipTag(clusterName)}`]: "owned" } },
    },
  ];
}

/**
 * The priority expander's configuration: Spot groups first (pods that tolerate
 * Spot land there), on-demand groups next (critical pods, which fit only
 * there, and the rest when Spot cannot grow), and a catch-all so no group is
 * ever left out.
 */
export function expanderPriorities(nodeGroups: readonly AutoscaledNodeGroup[]): Record<string, string[]> {
  const byPriority = new Map<number, string[]>();
  for (const g of nodeGroups) {
    const p = EXPANDER_PRIORITY[g.capacityType];
    // Auto Scaling group names are letters, digits, '-' and '_' here; a reference cannot be escaped, a literal is.
    const name = Token.isUnresolved(g.autoscalingGroupName) ? g.autoscalingGroupName : g.autoscalingGroupName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    byPriority.set(p, [...(byPriority.get(p) ?? []), `^${name}$`]);
  }
  byPriority.set(EXPANDER_PRIORITY.other, [".*"]);
  return Object.fromEntries([...byPriority].sort(([a], [b]) => b - a).map(([p, res]) => [String(p), res]));
}

/**
 * cluster-autoscaler for EKS managed node groups: auto-discovery by cluster
 * name, the image matching the cluster's minor version, a Pod Identity role
 * that scales only this cluster's groups, and the priority expander.
 */
export class ClusterAutoscaler extends HelmAddOn {
  constructor(scope: Construct, id: string, props: ClusterAutoscalerProps) {
    if (!/^v\d+\.\d+\.\d+$/.test(props.imageTag)) throw new Error(`ClusterAutoscaler ${id}: imageTag must look like v1.35.0, got "${props.imageTag}"`);
    if (props.nodeGroups.length === 0) throw new Error(`ClusterAutoscaler ${id}: give the cluster's node groups (nodeGroups is empty)`);
    const namespace = props.namespace ?? "kube-system";
    const serviceAccount = props.serviceAccount ?? "cluster-autoscaler";
    super(scope, id, {
      name: "cluster-autoscaler",
      ...CLUSTER_AUTOSCALER_CHART,
      version: props.version,
      namespace,
      fileValues: props.fileValues,
      computedValues: {
        cloudProvider: "aws",
        awsRegion: props.region,
        autoDiscovery: { clusterName: props.clusterName },
        rbac: { serviceAccount: { create: true, name: serviceAccount } },
        image: { tag: props.imageTag },
        expanderPriorities: expanderPriorities(props.nodeGroups),
        ...(props.nodeSelector ? { nodeSelector: { ...props.nodeSelector } } : {}),
      },
      role: {
        name: props.roleName,
        clusterName: props.clusterName,
        accountId: props.accountId,
        serviceAccount,
        statements: clusterAutoscalerStatements(props.clusterName),
      },
      dependsOn: props.dependsOn,
    });
  }
}
