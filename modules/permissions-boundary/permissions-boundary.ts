import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { suppress } from "../../tools/policy/suppress";

/** Name of the permissions boundary of an environment's roles: `<prefix>-workload-boundary`. */
export function workloadBoundaryName(prefix: string): string {
  return `${prefix}-workload-boundary`;
}

/** ARN of the boundary every role of the layers carries (known before the bootstrap layer is applied). */
export function workloadBoundaryArn(accountId: string, prefix: string): string {
  return `arn:aws:iam::${accountId}:policy/${workloadBoundaryName(prefix)}`;
}

/** What the boundary keeps every bounded role away from. */
export interface BoundaryProtected {
  readonly stateBucketArn: string;
  readonly lockTableArn: string;
  readonly stateKeyArn: string;
  /** The CI roles (`<prefix>-ci-*`), which no workload may assume or change. */
  readonly ciRolesArnPattern: string;
  /** The GitHub OIDC provider the CI roles trust. */
  readonly oidcProviderArn: string;
}

export interface WorkloadBoundaryProps {
  readonly prefix: string;
  readonly accountId: string;
  readonly protect: BoundaryProtected;
  /** Default: the stack's default AWS provider. */
  readonly provider?: TerraformProvider;
}

/**
 * The permissions boundary of every role the CI deploy role creates or changes
 * (the layers' service and workload roles). A boundary only caps: a role can
 * do what its own policies grant AND the boundary allows. This one allows every
 * service but IAM, Organizations and Account (IAM reads and service-linked
 * roles excepted: the load balancer controller creates its own), and denies the
 * bootstrap layer's state bucket, lock table and key, the CI roles and the
 * GitHub OIDC provider outright. So a role CI writes, whatever its inline
 * policy says, can never administer IAM, make itself or another role more
 * powerful, or read or tamper with Terraform state. Created by the bootstrap
 * layer (an administrator); the deploy role may not change it.
 */
export class WorkloadBoundary extends Construct {
  readonly policyArn: string;
  readonly policy: IamPolicy;

  constructor(scope: Construct, id: string, props: WorkloadBoundaryProps) {
    super(scope, id);
    const p = props.protect;
    this.policy = new IamPolicy(this, "policy", {
      name: workloadBoundaryName(props.prefix),
      description: `Permissions boundary of the ${props.prefix} roles CI manages: no IAM administration, no Terraform state, no CI roles`,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Sid: "AllServicesButIdentityAdministration", Effect: "Allow", NotAction: ["iam:*", "organizations:*", "account:*"], Resource: "*" },
          { Sid: "IamReadsAndServiceLinkedRoles", Effect: "Allow", Action: ["iam:Get*", "iam:List*", "iam:CreateServiceLinkedRole"], Resource: "*" },
          {
            Sid: "NoBootstrapResources",
            Effect: "Deny",
            Action: "*",
            Resource: [p.stateBucketArn, `${p.stateBucketArn}/*`, p.lockTableArn, p.stateKeyArn, p.ciRolesArnPattern, p.oidcProviderArn, workloadBoundaryArn(props.accountId, props.prefix)],
          },
        ],
      }),
      provider: props.provider,
    });
    suppress(this.policy, "iam-no-wildcard-admin", "a permissions boundary caps what bounded roles may do and grants nothing; its broad Allow is what leaves their own policies in force");
    this.policyArn = this.policy.arn;
  }
}
