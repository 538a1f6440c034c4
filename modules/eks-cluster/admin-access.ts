import { Construct } from "constructs";
import { Token, type TerraformProvider } from "cdktf";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";

/** EKS's cluster-admin access policy (the `cluster-admin` role, every namespace). */
export const CLUSTER_ADMIN_POLICY_ARN = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

export interface ClusterAdminAccessProps {
  /** The cluster (name or reference to it, so entries wait for the cluster). */
  readonly clusterName: string;
  /** IAM role ARNs given cluster-admin, literal (their role names become construct ids). */
  readonly principalArns: readonly string[];
  /** Default: the stack's default AWS provider. */
  readonly provider?: TerraformProvider;
}

/**
 * Cluster-admin through EKS access entries (authentication mode API): one
 * `aws_eks_access_entry` and one cluster-scoped AmazonEKSClusterAdminPolicy
 * association per principal. No aws-auth ConfigMap is involved.
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
        provider: props.provider,
      });
      new EksAccessPolicyAssociation(this, `${roleName}-cluster-admin`, {
        clusterName: props.clusterName,
        principalArn: entry.principalArn,
        policyArn: CLUSTER_ADMIN_POLICY_ARN,
        accessScope: { type: "cluster" },
        provider: props.provider,
      });
      return entry;
    });
  }
}
