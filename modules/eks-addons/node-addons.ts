import { Construct } from "constructs";
import type { ITerraformDependable, TerraformProvider } from "cdktf";
import { WorkloadRole } from "../workload-role/workload-role";
import { ManagedAddon } from "./managed-addon";


/** The AWS managed policy of the vpc-cni workload role. */
export const VPC_CNI_POLICY = "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy";
export interface NodeAddonsProps {
  /** The cluster (name or reference to it). */
  readonly clusterName: string;
  /** The cluster's Kubernetes version (reference). */
  readonly kubernetesVersion: string;
  readonly accountId: string;
  /** `<project>-<env>`: names the vpc-cni role `<prefix>-vpc-cni`. */
  readonly namePrefix: string;
  /** Pinned versions. Default for each: EKS's default for the cluster's version. */
  readonly versions?: { readonly vpcCni?: string; readonly kubeProxy?: string; readonly podIdentityAgent?: string };
  /** Default: the stack's default AWS provider. */
  readonly provider?: TerraformProvider;
}

/**
 * The add-ons a node needs before it can become Ready, installed before any node
 * group: the EKS Pod Identity agent, kube-proxy and the VPC CNI. The CNI runs as
 * its own workload role holding AmazonEKS_CNI_Policy (not the node role).
 */
export class NodeAddons extends Construct {
  readonly podIdentityAgent: ManagedAddon;
  readonly kubeProxy: ManagedAddon;
  readonly vpcCni: ManagedAddon;
  readonly vpcCniRole: WorkloadRole;
  /** Everything node groups must wait for. */
  readonly dependables: readonly ITerraformDependable[];

  constructor(scope: Construct, id: string, props: NodeAddonsProps) {
    super(scope, id);
    const { clusterName, kubernetesVersion, provider } = props;
    const versions = props.versions ?? {};

    this.podIdentityAgent = new ManagedAddon(this, "eks-pod-identity-agent", {
      clusterName,
      kubernetesVersion,
      addonName: "eks-pod-identity-agent",
      version: versions.podIdentityAgent,
      provider,
    });
    this.kubeProxy = new ManagedAddon(this, "kube-proxy", { clusterName, kubernetesVersion, addonName: "kube-proxy", version: versions.kubeProxy, provider });

    this.vpcCniRole = new WorkloadRole(this, "vpc-cni-role", {
      name: `${props.namePrefix}-vpc-cni`,
      description: "VPC CNI (aws-node): assigns VPC addresses to pods",
      clusterName,
      accountId: props.accountId,
      namespace: "kube-system",
      serviceAccount: "aws-node",
      managedPolicyArns: [VPC_CNI_POLICY],
      createAssociation: false, // the add-on's pod_identity_association makes it
      provider,
    });
    this.vpcCni = new ManagedAddon(this, "vpc-cni", {
      clusterName,
      kubernetesVersion,
      addonName: "vpc-cni",
      version: versions.vpcCni,
      podIdentity: { serviceAccount: "aws-node", roleArn: this.vpcCniRole.roleArn },
      // aws-node gets its credentials from the agent, so the agent comes first.
      dependsOn: [this.podIdentityAgent.addon],
      provider,
    });
    this.dependables = [this.podIdentityAgent.addon, this.kubeProxy.addon, this.vpcCni.addon];
  }
}
