import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";

/**
 * The managed policies a node needs and no more. AmazonEKS_CNI_Policy is NOT one
 * of them: the vpc-cni add-on holds it in its own workload role, so pods on the
 * node cannot borrow it through the instance profile.
 */
export const NODE_MANAGED_POLICIES = {
  worker: "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
  ecrPull: "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
  ssm: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
} as const;

export interface NodeRoleProps {
  /** IAM role name, `<prefix>-eks-node` (at most 64 characters). */
  readonly name: string;
  /** Default: the stack's default AWS provider. */
  readonly provider?: TerraformProvider;
}

/**
 * The IAM role of the cluster's managed node groups: EC2 trust, the worker-node
 * policy, ECR pull and SSM Session Manager (instead of SSH). Managed node groups
 * create its EC2_LINUX access entry themselves.
 */
export class NodeRole extends Construct {
  readonly role: IamRole;
  readonly roleArn: string;
  readonly roleName: string;
  /** The policy attachments, for resources that must wait until the role can work. */
  readonly attachments: readonly IamRolePolicyAttachment[];

  constructor(scope: Construct, id: string, props: NodeRoleProps) {
    super(scope, id);
    if (!/^[\w+=,.@-]{1,64}$/.test(props.name)) throw new Error(`NodeRole ${id}: name must be 1-64 characters of letters, digits and +=,.@_-, got "${props.name}"`);
    this.role = new IamRole(this, "role", {
      name: props.name,
      description: "EKS managed node group instances",
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
      provider: props.provider,
    });
    this.attachments = Object.entries(NODE_MANAGED_POLICIES).map(
      ([key, policyArn]) => new IamRolePolicyAttachment(this, key, { role: this.role.name, policyArn, provider: props.provider }),
    );
    this.roleArn = this.role.arn;
    this.roleName = this.role.name;
  }
}
