import { Construct } from "constructs";
import { LAYER_MANAGED_POLICIES } from "../iam-managed-policies/layer-managed-policies";
import type { TerraformProvider } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_HOST } from "./github-oidc-provider";

/** The Terraform state the CI roles read and lock. */
export interface CiStateAccess {
  readonly bucketArn: string;
  /** The bucket's name: Terraform's DynamoDB lock items are `<bucket>/<state key>`. */
  readonly bucketName: string;
  readonly lockTableArn: string;
  /** The key the state bucket and lock table are encrypted with. */
  readonly kmsKeyArn: string;
  /** ARN of the key's alias (protected like the key). Default: the key only. */
  readonly kmsAliasArn?: string;
}

export interface GithubCiRolesProps {
  /** ARN of the account's GitHub Actions OIDC provider. */
  readonly oidcProviderArn: string;
  /** `owner/name` of the repository whose workflows may assume the roles. */
  readonly repository: string;
  /**
   * Branches whose deploy workflow plans (StringLike patterns such as `release/*` allowed): the
   * plan role trusts their push subject, besides pull requests. The deploy role trusts no branch.
   */
  readonly deployBranches: readonly string[];
  /**
   * GitHub environments whose jobs may assume the deploy role: its only subjects
   * (`repo:<owner>/<repo>:environment:<name>`), so every apply passes the environment's
   * protection rules (deployment branches, required reviewers). At least one.
   */
  readonly deployEnvironments?: readonly string[];
  /**
   * A production environment: `deployEnvironments` must then be exactly `[environmentName]`, the
   * GitHub environment that carries the required reviewers. Default: false.
   */
  readonly production?: boolean;
  /** The environment's name (config file name); required with `production`. */
  readonly environmentName?: string;
  /**
   * `<project>-<env>`: the roles are `<prefix>-ci-plan` and `<prefix>-ci-deploy`, and the
   * deploy role manages only IAM roles, policies and instance profiles named `<prefix>-*`.
   */
  readonly namePrefix: string;
  readonly accountId: string;
  readonly state: CiStateAccess;
  /**
   * The permissions boundary (`modules/permissions-boundary`) that every role the deploy role
   * creates or changes must carry: IAM changes are allowed only with `iam:PermissionsBoundary`
   * equal to it, and the deploy role may not change the boundary policy.
   */
  readonly boundaryArn: string;
  /** The S3 keys of the states CI plans (`<env>/<layer>.tfstate`): the plan role locks only these. */
  readonly statePaths: readonly string[];
  /** The region of the state bucket (its key is used only through S3 there). */
  readonly region: string;
  /**
   * Longest session of the deploy role, in seconds: the apply job asks for this
   * much (`role-duration-seconds` in apply.yml) and times out before it ends, so a
   * first apply of every layer (Multi-AZ RDS with replicas, ElastiCache, EKS,
   * CloudFront) never loses its credentials half-way. Default: 14400 (4 h).
   */
  readonly deployMaxSessionSeconds?: number;
  /** Default: the stack's default AWS provider. */
  readonly provider?: TerraformProvider;
}

/**
 * The services the layers pass roles to, and the roles (names after `<prefix>-`) each one
 * takes: the deploy role may pass a role only to the service its layer hands it to. A new
 * service role needs its line here (the IAM suite fails on a role its service cannot get).
 */
export const PASSED_ROLES: ReadonlyArray<{ readonly sid: string; readonly service: string; readonly roles: readonly string[] }> = [
  // The cluster role (CreateCluster) and the node role (managed node groups' CreateNodegroup).
  { sid: "Eks", service: "eks.amazonaws.com", roles: ["eks-cluster", "eks-node"] },
  // CreatePodIdentityAssociation: the add-ons', controllers' and app services' workload roles.
  {
    sid: "EksPodIdentity",
    service: "pods.eks.amazonaws.com",
    roles: ["app-*", "db-provisioner", "database-dump", "vpc-cni", "ebs-csi", "aws-load-balancer-controller", "cluster-autoscaler", "cloudwatch-agent"],
  },
  { sid: "VpcFlowLogs", service: "vpc-flow-logs.amazonaws.com", roles: ["vpc-flow-logs"] },
  { sid: "RdsEnhancedMonitoring", service: "monitoring.rds.amazonaws.com", roles: ["postgres-monitoring"] },
  { sid: "S3Replication", service: "s3.amazonaws.com", roles: ["*-replication"] },
  { sid: "Backup", service: "backup.amazonaws.com", roles: ["volume-backup"] },
  // The CI runners' CodeBuild project (cluster layer, modules/ci-runner).
  { sid: "CodeBuild", service: "codebuild.amazonaws.com", roles: ["runner-codebuild"] },
];

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

/** The deploy role's longest session by default (apply.yml's role-duration-seconds matches it). */
export const DEPLOY_MAX_SESSION_SECONDS = 14400;
/** The plan role's longest session (plan.yml's role-duration-seconds matches it). */
export const PLAN_MAX_SESSION_SECONDS = 3600;
/**
 * Where the deploy workflow keeps saved plans in the state bucket
 * (`plans/<env>/<run>/<stack>.tfplan`): the plan role may write there and not
 * read; the deploy role may read and delete there and not write.
 */
export const SAVED_PLANS_PREFIX = "plans/";

/**
 * The two roles GitHub Actions assume through OIDC.
 *
 * - `plan`: pull requests of the repository and the deploy branches' deploy workflow. AWS's
 *   ReadOnlyAccess (what `terraform plan` refreshes) minus object and item reads outside the
 *   state, plus the state: read the state objects, write and delete only the `*.tflock` lock
 *   files (S3-native locking), lock items of its own state paths only (`dynamodb:LeadingKeys`,
 *   never the `-md5` digests), the state key through S3 only; write (never read) saved plans
 *   under `plans/`.
 * - `deploy`: only jobs in the configured GitHub environments (never a bare branch: a job that
 *   names no environment passes no approval). PowerUserAccess (every
 *   service but IAM, Organizations and Account) plus IAM on roles and policies named
 *   `<prefix>-*` of this environment, every permission-changing action only on roles that carry
 *   the permissions boundary (`iam:PermissionsBoundary`), PassRole of each role only to the
 *   service that takes it (`PASSED_ROLES`, `iam:PassedToService`). Explicit denies keep it from
 *   changing boundaries, the boundary policy, the CI roles, OIDC providers, the state bucket's
 *   configuration and versions, the lock table's configuration and the state key's grants,
 *   aliases and policy, and from reading RDS master secrets. So whoever can merge to a deploy
 *   branch can change what `<prefix>-*` roles may do only within the boundary: never IAM
 *   administration, the state or the CI roles (proven by `__tests__/iam/`).
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
    const lockIds = props.statePaths.map((key) => `${state.bucketName}/${key}`);
    const iam = (kind: string, name: string) => `arn:aws:iam::${accountId}:${kind}/${name}`;

    // Pull requests plan for review; the deploy branches plan what their deploy rounds apply.
    this.planSubjects = [`repo:${repository}:pull_request`, ...props.deployBranches.map((b) => `repo:${repository}:ref:refs/heads/${b}`)];
    // Environments only: a job on a branch that names no environment (no approval) gets another subject.
    this.deploySubjects = (props.deployEnvironments ?? []).map((e) => `repo:${repository}:environment:${e}`);
    const savedPlans = `${state.bucketArn}/${SAVED_PLANS_PREFIX}*`;

    this.planRole = new IamRole(this, "plan", {
      name: `${prefix}-ci-plan`,
      description: `GitHub Actions on pull requests and ${props.deployBranches.join(", ")} of ${repository}: terraform plan (read-only, state read and lock, saved plans written)`,
      assumeRolePolicy: githubTrustPolicy(props.oidcProviderArn, this.planSubjects),
      maxSessionDuration: PLAN_MAX_SESSION_SECONDS,
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
          // The deploy rounds' saved plans, for the deploy role to apply; the apply job checks each file's
          // digest from the plan job's outputs, so a pull request's session cannot swap one in.
          { Sid: "SavePlans", Effect: "Allow", Action: "s3:PutObject", Resource: savedPlans },
          // Saved plans hold every value of the plan, secrets included: nothing that plans needs to read one.
          { Sid: "DenyReadingSavedPlans", Effect: "Deny", Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectAttributes"], Resource: savedPlans },
          { Sid: "DescribeLockTable", Effect: "Allow", Action: "dynamodb:DescribeTable", Resource: state.lockTableArn },
          {
            // Terraform's lock items are `<bucket>/<key>`; their `-md5` digests only the deploy role writes.
            Sid: "LockItemsOfTheStatePaths",
            Effect: "Allow",
            Action: ["dynamodb:PutItem", "dynamodb:DeleteItem"],
            Resource: state.lockTableArn,
            Condition: { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": lockIds }, Null: { "dynamodb:LeadingKeys": "false" } },
          },
          {
            Sid: "ReadLocksAndDigests",
            Effect: "Allow",
            Action: "dynamodb:GetItem",
            Resource: state.lockTableArn,
            Condition: { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": [...lockIds, ...lockIds.map((l) => `${l}-md5`)] }, Null: { "dynamodb:LeadingKeys": "false" } },
          },
          { Sid: "DescribeStateKey", Effect: "Allow", Action: "kms:DescribeKey", Resource: state.kmsKeyArn },
          {
            Sid: "StateKeyThroughS3",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
            Resource: state.kmsKeyArn,
            Condition: { StringEquals: { "kms:ViaService": [`s3.${props.region}.amazonaws.com`, `dynamodb.${props.region}.amazonaws.com`] } },
          },
          {
            // ReadOnlyAccess reads every object and item of the account; planning needs none but the state's.
            Sid: "DenyDataReads",
            Effect: "Deny",
            Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectAttributes", "s3:GetObjectTorrent"],
            NotResource: `${state.bucketArn}/*`,
          },
          {
            Sid: "DenyTableReads",
            Effect: "Deny",
            Action: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:GetRecords", "dynamodb:ExportTableToPointInTime"],
            NotResource: state.lockTableArn,
          },
          { Sid: "DenySecretValues", Effect: "Deny", Action: ["secretsmanager:GetSecretValue", "ssm:GetParameter*", "kms:Decrypt"], NotResource: state.kmsKeyArn },
        ],
      }),
      provider,
    });

    this.deployRole = new IamRole(this, "deploy", {
      name: `${prefix}-ci-deploy`,
      description: `GitHub Actions jobs in the GitHub environment(s) ${(props.deployEnvironments ?? []).join(", ")} of ${repository}: terraform apply of the ${prefix} layers`,
      assumeRolePolicy: githubTrustPolicy(props.oidcProviderArn, this.deploySubjects),
      maxSessionDuration: props.deployMaxSessionSeconds ?? DEPLOY_MAX_SESSION_SECONDS,
      provider,
    });
    new IamRolePolicyAttachment(this, "deploy-power-user", { role: this.deployRole.name, policyArn: POWER_USER_ACCESS, provider });
    const ownRoles = iam("role", `${prefix}-*`);
    const ciRoles = iam("role", `${prefix}-ci-*`);
    const bounded = { StringEquals: { "iam:PermissionsBoundary": props.boundaryArn } };
    const stateObjects = `${state.bucketArn}/*`;
    const stateKey = [state.kmsKeyArn, ...(state.kmsAliasArn ? [state.kmsAliasArn] : [])];
    new IamRolePolicy(this, "deploy-iam", {
      role: this.deployRole.name,
      name: "scoped-iam",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Sid: "ReadIam", Effect: "Allow", Action: ["iam:Get*", "iam:List*"], Resource: "*" },
          {
            // Every permission-changing action only on a role that carries the boundary, and creating one only with it.
            Sid: "ChangeOnlyBoundedRoles",
            Effect: "Allow",
            Action: ["iam:CreateRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:PutRolePermissionsBoundary"],
            Resource: ownRoles,
            Condition: bounded,
          },
          {
            // The AWS managed policies the layers attach (one list, from the modules) and this
            // environment's own, on bounded roles only; never the boundary itself.
            Sid: "AttachServiceOrOwnPoliciesToBoundedRoles",
            Effect: "Allow",
            Action: "iam:AttachRolePolicy",
            Resource: ownRoles,
            Condition: {
              ...bounded,
              ArnLike: {
                "iam:PolicyARN": [...LAYER_MANAGED_POLICIES, iam("policy", `${prefix}-*`)],
              },
              ArnNotEquals: { "iam:PolicyARN": props.boundaryArn },
            },
          },
          {
            // Neither grants nor trusts: no boundary condition needed.
            Sid: "DescribeAndDeleteEnvironmentRoles",
            Effect: "Allow",
            Action: ["iam:DeleteRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:TagRole", "iam:UntagRole"],
            Resource: ownRoles,
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
          ...PASSED_ROLES.map((p) => ({
            Sid: `PassRolesTo${p.sid}`,
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: p.roles.map((r) => iam("role", `${prefix}-${r}`)),
            Condition: { StringEquals: { "iam:PassedToService": p.service } },
          })),
          {
            Sid: "DenyChangingBoundaries",
            Effect: "Deny",
            Action: ["iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary", "iam:PutUserPermissionsBoundary"],
            Resource: "*",
          },
          {
            Sid: "DenyChangingTheBoundaryPolicy",
            Effect: "Deny",
            Action: ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:TagPolicy", "iam:UntagPolicy"],
            Resource: props.boundaryArn,
          },
          {
            Sid: "DenyIdentitiesWithKeysOrPasswords",
            Effect: "Deny",
            Action: ["iam:CreateUser", "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile", "iam:CreateServiceSpecificCredential", "iam:UploadSSHPublicKey", "iam:CreateGroup", "iam:AddUserToGroup"],
            Resource: "*",
          },
          {
            // RDS-managed master user secrets (`rds!...`): Terraform never reads them; only the provisioning job does.
            Sid: "DenyDatabaseMasterSecrets",
            Effect: "Deny",
            Action: ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecret", "secretsmanager:PutResourcePolicy"],
            Resource: `arn:aws:secretsmanager:*:${accountId}:secret:rds!*`,
          },
          {
            Sid: "DenyChangingCiRoles",
            Effect: "Deny",
            Action: ["iam:Create*", "iam:Delete*", "iam:Update*", "iam:Put*", "iam:Attach*", "iam:Detach*", "iam:Tag*", "iam:Untag*", "iam:PassRole"],
            Resource: ciRoles,
          },
          {
            Sid: "DenyChangingOidcProviders",
            Effect: "Deny",
            Action: ["iam:CreateOpenIDConnectProvider", "iam:DeleteOpenIDConnectProvider", "iam:UpdateOpenIDConnectProviderThumbprint", "iam:AddClientIDToOpenIDConnectProvider", "iam:RemoveClientIDFromOpenIDConnectProvider", "iam:TagOpenIDConnectProvider", "iam:UntagOpenIDConnectProvider"],
            Resource: "*",
          },
          {
            Sid: "DenyStateBucketConfiguration",
            Effect: "Deny",
            Action: ["s3:DeleteBucket*", "s3:PutBucket*", "s3:Put*Configuration", "s3:PutReplicationConfiguration", "s3:PutEncryptionConfiguration", "s3:PutLifecycleConfiguration", "s3:PutAccessPointPolicy"],
            Resource: state.bucketArn,
          },
          {
            // It applies saved plans and never writes one: no session of it can put a plan under another
            // environment's prefix (or bucket, where environments share an account) for that one to apply.
            Sid: "DenyWritingSavedPlans",
            Effect: "Deny",
            Action: ["s3:PutObject", "s3:PutObjectAcl", "s3:RestoreObject"],
            Resource: `arn:aws:s3:::*/${SAVED_PLANS_PREFIX}*`,
          },
          {
            // Versions are the state's history: only new versions (writes) and lock-file deletions.
            Sid: "DenyStateHistoryChanges",
            Effect: "Deny",
            Action: ["s3:DeleteObjectVersion", "s3:PutObjectAcl", "s3:PutObjectVersionAcl", "s3:PutObjectRetention", "s3:PutObjectLegalHold", "s3:BypassGovernanceRetention", "s3:DeleteObjectVersionTagging", "s3:PutObjectVersionTagging", "s3:RestoreObject"],
            Resource: stateObjects,
          },
          {
            Sid: "DenyLockTableConfiguration",
            Effect: "Deny",
            Action: [
              "dynamodb:DeleteTable", "dynamodb:UpdateTable", "dynamodb:UpdateContinuousBackups", "dynamodb:UpdateTimeToLive",
              "dynamodb:PutResourcePolicy", "dynamodb:DeleteResourcePolicy", "dynamodb:CreateTableReplica", "dynamodb:DeleteTableReplica",
              "dynamodb:UpdateKinesisStreamingDestination", "dynamodb:EnableKinesisStreamingDestination", "dynamodb:DisableKinesisStreamingDestination",
              "dynamodb:UpdateContributorInsights", "dynamodb:TagResource", "dynamodb:UntagResource", "dynamodb:RestoreTableToPointInTime",
            ],
            Resource: state.lockTableArn,
          },
          {
            Sid: "DenyStateKeyChanges",
            Effect: "Deny",
            Action: [
              "kms:CreateGrant", "kms:RevokeGrant", "kms:RetireGrant", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey",
              "kms:DisableKeyRotation", "kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias", "kms:UpdateKeyDescription",
              "kms:TagResource", "kms:UntagResource", "kms:ImportKeyMaterial", "kms:DeleteImportedKeyMaterial", "kms:ReplicateKey", "kms:UpdatePrimaryRegion",
            ],
            Resource: stateKey,
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
  const environments = props.deployEnvironments ?? [];
  if (environments.length === 0) fail("give at least one deploy environment (the deploy role trusts GitHub environments only: cicd.deployEnvironments)");
  if (props.production) {
    if (!props.environmentName) fail("production needs environmentName (the GitHub environment with the required reviewers)");
    if (environments.length !== 1 || environments[0] !== props.environmentName) {
      fail(`a production deploy role trusts only the GitHub environment "${props.environmentName}" (its required reviewers are the approval); got deployEnvironments ${JSON.stringify(environments)}`);
    }
  }
  for (const b of props.deployBranches) {
    if (b.trim() === "" || /^[*?]+$/.test(b)) fail(`deploy branch "${b}" would trust every branch; name the branches (patterns such as release/* are fine)`);
  }
  for (const e of props.deployEnvironments ?? []) {
    if (e.trim() === "" || /[*?]/.test(e)) fail(`deploy environment "${e}" must be an environment name without wildcards`);
  }
  const max = props.deployMaxSessionSeconds;
  if (max !== undefined && (!Number.isInteger(max) || max < 3600 || max > 43200)) fail(`deployMaxSessionSeconds must be 3600-43200, got ${max}`);
}
