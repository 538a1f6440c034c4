import { Construct } from "constructs";
import { Token, type TerraformProvider } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { EksPodIdentityAssociation } from "@cdktf/provider-aws/lib/eks-pod-identity-association";

/**
 * One IAM policy statement, written as in IAM's JSON (so a published policy
 * document's `Statement` array can be passed as it is).
 */
export interface IamPolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[] | boolean>>>>;
}

export interface WorkloadRoleProps {
  /** IAM role name, `<prefix>-<purpose>` (the CI deploy role manages only `<prefix>-*` roles); at most 64 characters. */
  readonly name: string;
  /** The EKS cluster whose pods assume the role (a plain name or a reference to the cluster stack's output). */
  readonly clusterName: string;
  /** The account of the cluster; the trust policy requires it as `aws:SourceAccount`. */
  readonly accountId: string;
  /** Kubernetes namespace of the service account. */
  readonly namespace: string;
  /** Kubernetes service account the pods run as. */
  readonly serviceAccount: string;
  /** Statements of the role's inline policy. Default: none (no inline policy). */
  readonly statements?: readonly IamPolicyStatement[];
  /** Managed policies attached to the role (AWS's or the environment's own). Default: none. */
  readonly managedPolicyArns?: readonly string[];
  /** Default: "Pods of <namespace>/<serviceAccount> on <cluster>". */
  readonly description?: string;
  /**
   * Whether this construct creates the `aws_eks_pod_identity_association`. Default: true. Set false
   * when the association is made elsewhere, e.g. by an `aws_eks_addon`'s `pod_identity_association`.
   */
  readonly createAssociation?: boolean;
  /** Default: the stack's default AWS provider. */
  readonly provider?: TerraformProvider;
}

/** Pod Identity's session tags that the trust policy pins (see the EKS user guide, "pod-id-abac"). */
export const POD_IDENTITY_TAGS = {
  clusterName: "aws:RequestTag/eks-cluster-name",
  namespace: "aws:RequestTag/kubernetes-namespace",
  serviceAccount: "aws:RequestTag/kubernetes-service-account",
} as const;

/** Largest inline role policy IAM accepts (characters, whitespace excluded). */
const INLINE_POLICY_LIMIT = 10240;
const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The trust policy of a role that only pods running as `namespace/serviceAccount`
 * on `clusterName` of `accountId` may assume through EKS Pod Identity. The
 * conditions hold on the session tags Pod Identity always sets, so another
 * association (another namespace, service account or cluster) cannot use the role.
 */
export function podIdentityTrustPolicy(props: Pick<WorkloadRoleProps, "clusterName" | "accountId" | "namespace" | "serviceAccount">): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "EksPodIdentityForOneServiceAccount",
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: {
          StringEquals: {
            "aws:SourceAccount": props.accountId,
            [POD_IDENTITY_TAGS.clusterName]: props.clusterName,
            [POD_IDENTITY_TAGS.namespace]: props.namespace,
            [POD_IDENTITY_TAGS.serviceAccount]: props.serviceAccount,
          },
        },
      },
    ],
  });
}

/**
 * An IAM role for one Kubernetes service account through EKS Pod Identity: the
 * role (trusting only that namespace and service account on that cluster), its
 * inline policy and managed policies, and the pod identity association.
 */
export class WorkloadRole extends Construct {
  readonly roleArn: string;
  readonly roleName: string;
  readonly role: IamRole;
  /** The association, unless `createAssociation` is false. */
  readonly association?: EksPodIdentityAssociation;

  constructor(scope: Construct, id: string, props: WorkloadRoleProps) {
    super(scope, id);
    validate(id, props);
    const { provider } = props;
    this.role = new IamRole(this, "role", {
      name: props.name,
      description: props.description ?? `Pods of ${props.namespace}/${props.serviceAccount} on ${Token.isUnresolved(props.clusterName) ? "the cluster" : props.clusterName}`,
      assumeRolePolicy: podIdentityTrustPolicy(props),
      provider,
    });
    if (props.statements && props.statements.length > 0) {
      new IamRolePolicy(this, "policy", {
        role: this.role.name,
        name: "workload",
        policy: JSON.stringify({ Version: "2012-10-17", Statement: props.statements }),
        provider,
      });
    }
    (props.managedPolicyArns ?? []).forEach((policyArn) => {
      new IamRolePolicyAttachment(this, `managed-${policyName(policyArn)}`, { role: this.role.name, policyArn, provider });
    });
    if (props.createAssociation ?? true) {
      this.association = new EksPodIdentityAssociation(this, "association", {
        clusterName: props.clusterName,
        namespace: props.namespace,
        serviceAccount: props.serviceAccount,
        roleArn: this.role.arn,
        provider,
      });
    }
    this.roleArn = this.role.arn;
    this.roleName = this.role.name;
  }
}

/** Stable construct-id part for a managed policy: the policy's name. */
function policyName(arn: string): string {
  if (Token.isUnresolved(arn)) throw new Error("WorkloadRole: managedPolicyArns must be literal ARNs (their names become construct ids); put token-valued permissions in statements");
  return arn.split("/").pop() as string;
}

function validate(id: string, props: WorkloadRoleProps): void {
  const fail = (msg: string): never => {
    throw new Error(`WorkloadRole ${id}: ${msg}`);
  };
  if (!/^[\w+=,.@-]{1,64}$/.test(props.name)) fail(`name must be 1-64 characters of letters, digits and +=,.@_-, got "${props.name}" (${props.name.length} characters)`);
  if (!Token.isUnresolved(props.accountId) && !/^\d{12}$/.test(props.accountId)) fail(`accountId must be 12 digits, got ${props.accountId}`);
  if (!Token.isUnresolved(props.clusterName) && props.clusterName.trim() === "") fail("clusterName must not be empty");
  if (!K8S_NAME.test(props.namespace) || props.namespace.length > 63) fail(`namespace must be a Kubernetes name (lower-case letters, digits, '-'), got "${props.namespace}"`);
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(props.serviceAccount) || props.serviceAccount.length > 253) {
    fail(`serviceAccount must be a Kubernetes name (lower-case letters, digits, '-', '.'), got "${props.serviceAccount}"`);
  }
  const statements = props.statements ?? [];
  statements.forEach((s, i) => {
    const actions = typeof s.Action === "string" ? [s.Action] : s.Action;
    const resources = typeof s.Resource === "string" ? [s.Resource] : s.Resource;
    if (actions.length === 0 || resources.length === 0) fail(`statement ${s.Sid ?? i} needs at least one action and one resource`);
    if (s.Effect === "Allow" && actions.some((a) => a === "*") && resources.some((r) => r === "*")) {
      fail(`statement ${s.Sid ?? i} allows every action on every resource; name the actions the workload needs`);
    }
  });
  const json = JSON.stringify({ Version: "2012-10-17", Statement: statements });
  if (!Token.isUnresolved(json) && json.length > INLINE_POLICY_LIMIT) {
    fail(`the inline policy is ${json.length} characters, more than IAM's ${INLINE_POLICY_LIMIT}; split it into managedPolicyArns`);
  }
  if (statements.length === 0 && (props.managedPolicyArns ?? []).length === 0) fail("give statements or managedPolicyArns: a role without permissions is a mistake");
}
