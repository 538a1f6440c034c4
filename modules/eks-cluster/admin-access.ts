import { Construct } from "constructs";
import { Token, type TerraformProvider } from "cdktf";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";

/** EKS's cluster-admin access policy (the `cluster-admin` role, every namespace). */
export const CLUSTER_ADMIN_POLICY_ARN = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";
/** EKS's read-only access policy: lists and reads every resource, Secrets included (Helm keeps releases in Secrets). */
export const ADMIN_VIEW_POLICY_ARN = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy";

export interface ClusterAdminAccessProps {
  /** The cluster (name or reference to it, so entries wait for the cluster). */
  readonly clusterName: string;
  /** IAM role ARNs given cluster-admin, literal (their role names become construct ids). */
  readonly principalArns: readonly string[];
  /** The access policy given, cluster-wide; `false` for none (access by `kubernetesGroups` and RBAC only). Default: CLUSTER_ADMIN_POLICY_ARN. */
  readonly accessPolicyArn?: string | false;
  /** Kubernetes groups the principals map to (RBAC bindings name them). Default: none. */
  readonly kubernetesGroups?: readonly string[];
  /** Default: the stack's default AWS provider. */
  readonly provider?: TerraformProvider;
}

/**
 * Cluster access through EKS access entries (authentication mode API): one
 * `aws_eks_access_entry` and one cluster-scoped access policy association
 * (cluster-admin unless told otherwise) per principal. No aws-auth ConfigMap is involved.
 */
export class ClusterAdminAccess extends Construct {
  readonly entries: readonly EksAccessEntry[];

  constructor(scope: Construct, id: string, props: ClusterAdminAccessProps) {
    super(scope, id);
    const seen = new Set<string>();
    this.entries = props.principalArns.map((principalArn) => {
      if (Token.isUnresolved(principalArn) || !/^arn:aws:iam::\d{12}:role\/.+$/.test(principalArn)) {
        throw new Error(`ClusterAdminAccess ${id}: principalArns must be literal IAM role ARNs, got ${principalArn}`);
      }
      const roleName = principalArn.split("/").pop() as string;
      if (seen.has(roleName)) throw new Error(`ClusterAdminAccess ${id}: role ${roleName} is listed twice; list each admin role once`);
      seen.add(roleName);
      const entry = new EksAccessEntry(this, roleName, {
        clusterName: props.clusterName,
        principalArn,
        type: "STANDARD",
        ...(props.kubernetesGroups ? { kubernetesGroups: [...props.kubernetesGroups] } : {}),
        provider: props.provider,
      });
      if (props.accessPolicyArn === false) return entry;
      const policyArn = props.accessPolicyArn ?? CLUSTER_ADMIN_POLICY_ARN;
      // The cluster-admin association keeps its original id (ids are addresses).
      const suffix = policyArn === CLUSTER_ADMIN_POLICY_ARN ? "cluster-admin" : policyArn.split("/").pop();
      new EksAccessPolicyAssociation(this, `${roleName}-${suffix}`, {
        clusterName: props.clusterName,
        principalArn: entry.principalArn,
        policyArn,
        accessScope: { type: "cluster" },
        provider: props.provider,
      });
      return entry;
    });
  }
}
