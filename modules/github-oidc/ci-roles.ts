import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_HOST } from "./github-oidc-provider";

/** The Terraform state the CI roles read and lock. */
export interface CiStateAccess {
  readonly bucketArn: string;
  readonly lockTableArn: string;
  /** The key the state bucket and lock table are encrypted with. */
  readonly kmsKeyArn: string;
}

export interface GithubCiRolesProps {
  /** ARN of the account's GitHub Actions OIDC provider. */
  readonly oidcProviderArn: string;
  /** `owner/name` of the repository whose workflows may assume the roles. */
  readonly repository: string;
  /** Branches whose workflows may assume the deploy role (StringLike patterns such as `release/*` allowed). */
  readonly deployBranches: readonly string[];
  /** GitHub environments whose jobs may assume the deploy role. Default: none. */
  readonly deployEnvironments?: readonly string[];
  /**
   * `<project>-<env>`: the roles are `<prefix>-ci-plan` and `<prefix>-ci-deploy`, and the
   * deploy role manages only IAM roles, policies and instance profiles named `<prefix>-*`.
   */
  readonly namePrefix: string;
  readonly accountId: string;
  readonly state: CiStateAccess;
  /** Longest session of the deploy role, in seconds (a first apply of the data layer can take an hour). Default: 7200. */
  readonly deployMaxSessionSeconds?: number;
  /** Default: the stack's default AWS provider. */
  readonly provider?: TerraformProvider;
}

const READ_ONLY_ACCESS = "arn:aws:iam::aws:policy/ReadOnlyAccess";
const POWER_USER_ACCESS = "arn:aws:iam::aws:policy/PowerUserAccess";

/** A role trust policy for GitHub Actions tokens of the given `sub` claims (StringLike), audience sts.amazonaws.com. */
export function githubTrustPolicy(oidcProviderArn: string, subjects: readonly string[]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "GitHubActions",
        Effect: "Allow",
        Principal: { Federated: oidcProviderArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE },
          StringLike: { [`${GITHUB_OIDC_HOST}:sub`]: [...subjects] },
        },
      },
    ],
  });
}

/**
 * The two roles GitHub Actions assume through OIDC.
 *
 * - `plan`: pull requests of the repository. AWS's ReadOnlyAccess (what `terraform plan`
 *   refreshes) plus the state: read the state objects, write and delete only the `*.tflock`
 *   lock files (S3-native locking), lock items in the DynamoDB table, and the state key.
 * - `deploy`: only the configured branches and GitHub environments. PowerUserAccess (every
 *   service but IAM, Organizations and Account) plus IAM limited to roles, policies and
 *   instance profiles named `<prefix>-*` of this environment, PassRole of those roles only,
 *   EKS OIDC providers, and attaching only AWS service policies or this environment's own.
 *   Explicit denies keep it from changing the CI roles themselves or deleting the state
 *   bucket, table or key. AdministratorAccess is avoided; the residual risk is that whoever
 *   can merge to a deploy branch can change what `<prefix>-*` roles may do (the inline
 *   policies of the app's own roles), which is what deploying this repository means.
 */
export class GithubCiRoles extends Construct {
  readonly planRole: IamRole;
  readonly deployRole: IamRole;
  readonly planRoleArn: string;
  readonly deployRoleArn: string;
  /** The `sub` claims each role trusts. */
  readonly planSubjects: readonly string[];
  readonly deploySubjects: readonly string[];

  constructor(scope: Construct, id: string, props: GithubCiRolesProps) {
    super(scope, id);
    validate(id, props);
    const { repository, namePrefix: prefix, accountId, state, provider } = props;
    const iam = (kind: string, name: string) => `arn:aws:iam::${accountId}:${kind}/${name}`;

    this.planSubjects = [`repo:${repository}:pull_request`];
    this.deploySubjects = [
      ...props.deployBranches.map((b) => `repo:${repository}:ref:refs/heads/${b}`),
      ...(props.deployEnvironments ?? []).map((e) => `repo:${repository}:environment:${e}`),
    ];

    this.planRole = new IamRole(this, "plan", {
      name: `${prefix}-ci-plan`,
      description: `GitHub Actions on pull requests of ${repository}: terraform plan (read-only, state read and lock)`,
      assumeRolePolicy: githubTrustPolicy(props.oidcProviderArn, this.planSubjects),
      maxSessionDuration: 3600,
      provider,
    });
    new IamRolePolicyAttachment(this, "plan-read-only", { role: this.planRole.name, policyArn: READ_ONLY_ACCESS, provider });
    new IamRolePolicy(this, "plan-state", {
      role: this.planRole.name,
      name: "terraform-state-read-and-lock",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Sid: "ListState", Effect: "Allow", Action: "s3:ListBucket", Resource: state.bucketArn },
          { Sid: "ReadState", Effect: "Allow", Action: "s3:GetObject", Resource: `${state.bucketArn}/*` },
          // S3-native locking writes `<key>.tflock` next to the state; nothing else is writable.
          { Sid: "LockFiles", Effect: "Allow", Action: ["s3:PutObject", "s3:DeleteObject"], Resource: `${state.bucketArn}/*.tflock` },
          { Sid: "LockTable", Effect: "Allow", Action: ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"], Resource: state.lockTableArn },
          { Sid: "StateKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"], Resource: state.kmsKeyArn },
        ],
      }),
      provider,
    });

    this.deployRole = new IamRole(this, "deploy", {
      name: `${prefix}-ci-deploy`,
      description: `GitHub Actions on ${props.deployBranches.join(", ")} of ${repository}: terraform apply of the ${prefix} layers`,
      assumeRolePolicy: githubTrustPolicy(props.oidcProviderArn, this.deploySubjects),
      maxSessionDuration: props.deployMaxSessionSeconds ?? 7200,
      provider,
    });
    new IamRolePolicyAttachment(this, "deploy-power-user", { role: this.deployRole.name, policyArn: POWER_USER_ACCESS, provider });
    const ownRoles = iam("role", `${prefix}-*`);
    const ciRoles = iam("role", `${prefix}-ci-*`);
    new IamRolePolicy(this, "deploy-iam", {
      role: this.deployRole.name,
      name: "scoped-iam",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Sid: "ReadIam", Effect: "Allow", Action: ["iam:Get*", "iam:List*"], Resource: "*" },
          {
            Sid: "ManageEnvironmentRoles",
            Effect: "Allow",
            Action: [
              "iam:CreateRole", "iam:DeleteRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy",
              "iam:TagRole", "iam:UntagRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:DetachRolePolicy",
              "iam:CreateInstanceProfile", "iam:DeleteInstanceProfile", "iam:AddRoleToInstanceProfile",
              "iam:RemoveRoleFromInstanceProfile", "iam:TagInstanceProfile", "iam:UntagInstanceProfile",
            ],
            Resource: [ownRoles, iam("instance-profile", `${prefix}-*`)],
          },
          {
            Sid: "ManageEnvironmentPolicies",
            Effect: "Allow",
            Action: [
              "iam:CreatePolicy", "iam:DeletePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicyVersion",
              "iam:SetDefaultPolicyVersion", "iam:TagPolicy", "iam:UntagPolicy",
            ],
            Resource: iam("policy", `${prefix}-*`),
          },
          {
            // AWS's service policies and this environment's own; never AdministratorAccess, IAMFullAccess or PowerUserAccess.
            Sid: "AttachServiceOrOwnPolicies",
            Effect: "Allow",
            Action: "iam:AttachRolePolicy",
            Resource: ownRoles,
            Condition: {
              ArnLike: {
                "iam:PolicyARN": [
                  "arn:aws:iam::aws:policy/service-role/*",
                  "arn:aws:iam::aws:policy/Amazon*",
                  "arn:aws:iam::aws:policy/AWS*",
                  iam("policy", `${prefix}-*`),
                ],
              },
            },
          },
          { Sid: "PassEnvironmentRoles", Effect: "Allow", Action: "iam:PassRole", Resource: ownRoles },
          {
            Sid: "ManageEksOidcProviders",
            Effect: "Allow",
            Action: [
              "iam:CreateOpenIDConnectProvider", "iam:DeleteOpenIDConnectProvider", "iam:TagOpenIDConnectProvider",
              "iam:UntagOpenIDConnectProvider", "iam:UpdateOpenIDConnectProviderThumbprint",
              "iam:AddClientIDToOpenIDConnectProvider", "iam:RemoveClientIDFromOpenIDConnectProvider",
            ],
            Resource: iam("oidc-provider", "oidc.eks.*.amazonaws.com/id/*"),
          },
          {
            Sid: "DenyChangingCiRoles",
            Effect: "Deny",
            Action: [
              "iam:Create*", "iam:Delete*", "iam:Update*", "iam:Put*", "iam:Attach*", "iam:Detach*",
              "iam:Tag*", "iam:Untag*", "iam:PassRole",
            ],
            Resource: ciRoles,
          },
          {
            Sid: "DenyDestroyingState",
            Effect: "Deny",
            Action: ["s3:DeleteBucket", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:PutBucketVersioning", "s3:PutLifecycleConfiguration"],
            Resource: state.bucketArn,
          },
          { Sid: "DenyDestroyingLockTable", Effect: "Deny", Action: ["dynamodb:DeleteTable", "dynamodb:UpdateTable"], Resource: state.lockTableArn },
          {
            Sid: "DenyDestroyingStateKey",
            Effect: "Deny",
            Action: ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy", "kms:DisableKeyRotation"],
            Resource: state.kmsKeyArn,
          },
        ],
      }),
      provider,
    });

    this.planRoleArn = this.planRole.arn;
    this.deployRoleArn = this.deployRole.arn;
  }
}

function validate(id: string, props: GithubCiRolesProps): void {
  const fail = (msg: string): never => {
    throw new Error(`GithubCiRoles ${id}: ${msg}`);
  };
  if (!/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(props.repository)) fail(`repository must be owner/name, got "${props.repository}"`);
  if (!/^\d{12}$/.test(props.accountId)) fail(`accountId must be 12 digits, got ${props.accountId}`);
  if (!/^[a-z][a-z0-9-]*$/.test(props.namePrefix)) fail(`namePrefix must be lower-case letters, digits and '-', got "${props.namePrefix}"`);
  if (`${props.namePrefix}-ci-deploy`.length > 64) fail(`namePrefix "${props.namePrefix}" makes role names longer than IAM's 64 characters`);
  if (props.deployBranches.length === 0 && (props.deployEnvironments ?? []).length === 0) fail("give at least one deploy branch or environment");
  for (const b of props.deployBranches) {
    if (b.trim() === "" || /^[*?]+$/.test(b)) fail(`deploy branch "${b}" would trust every branch; name the branches (patterns such as release/* are fine)`);
  }
  for (const e of props.deployEnvironments ?? []) {
    if (e.trim() === "" || /[*?]/.test(e)) fail(`deploy environment "${e}" must be an environment name without wildcards`);
  }
  const max = props.deployMaxSessionSeconds;
  if (max !== undefined && (!Number.isInteger(max) || max < 3600 || max > 43200)) fail(`deployMaxSessionSeconds must be 3600-43200, got ${max}`);
}
