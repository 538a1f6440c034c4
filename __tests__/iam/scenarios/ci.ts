import { allow, deny, type Facts, type Scenario } from "../support";

/** The permissions boundary every role the deploy role creates or changes must carry. */
export const boundaryArn = (f: Facts) => f.iamArn("policy", `${f.prefix}-workload-boundary`);

/**
 * The deploy role: what the layers' applies need, and the escalation and
 * bootstrap-tampering requests of issue 11, all of which must be denied.
 */
export function deployScenarios(f: Facts): Scenario[] {
  const me = { role: f.deployRole };
  const bounded = { "iam:PermissionsBoundary": boundaryArn(f) };
  const newRole = f.roleArn("new-service");
  return [
    // What the layers need.
    allow("create a layer's role with the boundary", me, { action: "iam:CreateRole", resource: newRole, context: bounded }),
    allow("put an inline policy on a bounded role", me, { action: "iam:PutRolePolicy", resource: f.roleArn("app-api"), context: bounded }),
    allow("attach an AWS service policy to a bounded role", me, {
      action: "iam:AttachRolePolicy",
      resource: f.roleArn("eks-node"),
      context: { ...bounded, "iam:PolicyARN": "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy" },
    }),
    allow("update the trust of a bounded role", me, { action: "iam:UpdateAssumeRolePolicy", resource: f.roleArn("app-api"), context: bounded }),
    allow("delete a bounded role", me, { action: "iam:DeleteRole", resource: f.roleArn("app-api"), context: bounded }),
    allow("tag a role", me, { action: "iam:TagRole", resource: f.roleArn("app-api") }),
    allow("pass the cluster role to EKS", me, { action: "iam:PassRole", resource: f.roleArn("eks-cluster"), context: { "iam:PassedToService": "eks.amazonaws.com" } }),
    allow("pass the node role to EKS (managed node groups)", me, { action: "iam:PassRole", resource: f.roleArn("eks-node"), context: { "iam:PassedToService": "eks.amazonaws.com" } }),
    allow("pass a workload role to EKS Pod Identity", me, { action: "iam:PassRole", resource: f.roleArn("app-api"), context: { "iam:PassedToService": "pods.eks.amazonaws.com" } }),
    allow("pass the flow-log role to VPC Flow Logs", me, { action: "iam:PassRole", resource: f.roleArn("vpc-flow-logs"), context: { "iam:PassedToService": "vpc-flow-logs.amazonaws.com" } }),
    allow("pass the monitoring role to RDS", me, { action: "iam:PassRole", resource: f.roleArn("postgres-monitoring"), context: { "iam:PassedToService": "monitoring.rds.amazonaws.com" } }),
    allow("pass a replication role to S3", me, { action: "iam:PassRole", resource: f.roleArn(`uploads-${f.account}-replication`), context: { "iam:PassedToService": "s3.amazonaws.com" } }),
    allow("pass the volume-backup role to AWS Backup", me, { action: "iam:PassRole", resource: f.roleArn("volume-backup"), context: { "iam:PassedToService": "backup.amazonaws.com" } }),
    allow("read state", me, { action: "s3:GetObject", resource: f.stateObject("data") }),
    allow("write state", me, { action: "s3:PutObject", resource: f.stateObject("data") }),
    allow("download a saved plan to apply it", me, { action: "s3:GetObject", resource: savedPlan(f) }),
    allow("delete a saved plan once applied", me, { action: "s3:DeleteObject", resource: savedPlan(f) }),
    allow("decrypt a saved plan through S3", me, {
      action: "kms:Decrypt",
      resource: f.stateKey,
      context: { "kms:ViaService": `s3.${f.region}.amazonaws.com`, "kms:EncryptionContext:aws:s3:arn": f.stateBucket },
    }),
    deny("write a saved plan (only the plan job saves them)", me, { action: "s3:PutObject", resource: savedPlan(f) }),
    deny("write a saved plan into another environment's state bucket", me, { action: "s3:PutObject", resource: `arn:aws:s3:::upskill-other-tfstate-${f.account}/plans/other/1-1-r1/other-data.tfplan` }),
    allow("encrypt state with the state key through S3", me, {
      action: "kms:GenerateDataKey",
      resource: f.stateKey,
      context: { "kms:ViaService": `s3.${f.region}.amazonaws.com`, "kms:EncryptionContext:aws:s3:arn": f.stateBucket },
    }),
    allow("take the state lock", me, { action: "dynamodb:PutItem", resource: f.lockTable, context: { "dynamodb:LeadingKeys": `${f.stateBucketName}/${f.environment}/data.tfstate` } }),
    allow("create the database", me, { action: "rds:CreateDBInstance", resource: f.databaseInstance }),
    allow("create a bucket", me, { action: "s3:CreateBucket", resource: f.uploadsBucket }),
    allow("create the cluster", me, { action: "eks:CreateCluster", resource: "*" }),

    // Escalation.
    deny("create a role without the boundary", me, { action: "iam:CreateRole", resource: newRole }),
    deny("create a role with another boundary", me, { action: "iam:CreateRole", resource: newRole, context: { "iam:PermissionsBoundary": "arn:aws:iam::aws:policy/AdministratorAccess" } }),
    deny("put an inline policy on a role without the boundary", me, { action: "iam:PutRolePolicy", resource: f.roleArn("legacy") }),
    deny("attach a policy to a role without the boundary", me, {
      action: "iam:AttachRolePolicy",
      resource: f.roleArn("legacy"),
      context: { "iam:PolicyARN": "arn:aws:iam::aws:policy/AmazonS3FullAccess" },
    }),
    deny("attach AdministratorAccess to a bounded role", me, {
      action: "iam:AttachRolePolicy",
      resource: f.roleArn("app-api"),
      context: { ...bounded, "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" },
    }),
    deny("attach the boundary itself as a role's policy", me, { action: "iam:AttachRolePolicy", resource: f.roleArn("app-api"), context: { ...bounded, "iam:PolicyARN": boundaryArn(f) } }),
    deny("rewrite the trust of a role without the boundary", me, { action: "iam:UpdateAssumeRolePolicy", resource: f.roleArn("legacy") }),
    deny("remove a role's boundary", me, { action: "iam:DeleteRolePermissionsBoundary", resource: f.roleArn("app-api"), context: bounded }),
    deny("swap a role's boundary for another", me, {
      action: "iam:PutRolePermissionsBoundary",
      resource: f.roleArn("app-api"),
      context: { "iam:PermissionsBoundary": "arn:aws:iam::aws:policy/AdministratorAccess" },
    }),
    deny("widen the boundary (new version)", me, { action: "iam:CreatePolicyVersion", resource: boundaryArn(f) }),
    deny("delete the boundary", me, { action: "iam:DeletePolicy", resource: boundaryArn(f) }),
    deny("create an access key", me, { action: "iam:CreateAccessKey", resource: f.iamArn("user", "anyone") }),
    deny("create a user", me, { action: "iam:CreateUser", resource: f.iamArn("user", `${f.prefix}-backdoor`) }),
    deny("pass a role to a service that does not take it", me, { action: "iam:PassRole", resource: f.roleArn("eks-cluster"), context: { "iam:PassedToService": "ec2.amazonaws.com" } }),
    deny("pass a workload role to Lambda", me, { action: "iam:PassRole", resource: f.roleArn("app-api"), context: { "iam:PassedToService": "lambda.amazonaws.com" } }),
    deny("pass the plan role", me, { action: "iam:PassRole", resource: f.roleArn("ci-plan"), context: { "iam:PassedToService": "pods.eks.amazonaws.com" } }),
    deny("rewrite the plan role's trust", me, { action: "iam:UpdateAssumeRolePolicy", resource: f.roleArn("ci-plan"), context: bounded }),
    deny("put a policy on itself", me, { action: "iam:PutRolePolicy", resource: f.roleArn("ci-deploy"), context: bounded }),
    deny("attach a policy to itself", me, { action: "iam:AttachRolePolicy", resource: f.roleArn("ci-deploy"), context: { "iam:PolicyARN": "arn:aws:iam::aws:policy/AWSLambda_FullAccess" } }),
    deny("add a client id to the GitHub OIDC provider", me, { action: "iam:AddClientIDToOpenIDConnectProvider", resource: f.githubOidcProvider }),
    deny("delete the GitHub OIDC provider", me, { action: "iam:DeleteOpenIDConnectProvider", resource: f.githubOidcProvider }),
    deny("create an OIDC provider for another host", me, { action: "iam:CreateOpenIDConnectProvider", resource: f.iamArn("oidc-provider", "oidc.eks.evil.example/x.amazonaws.com/id/1") }),

    // Bootstrap resources.
    deny("delete a state version (permanent loss)", me, { action: "s3:DeleteObjectVersion", resource: f.stateObject("data") }),
    ...[
      "s3:PutBucketPublicAccessBlock", "s3:PutBucketOwnershipControls", "s3:PutBucketAcl", "s3:PutEncryptionConfiguration",
      "s3:PutReplicationConfiguration", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:PutBucketVersioning",
      "s3:PutLifecycleConfiguration", "s3:DeleteBucket", "s3:PutBucketLogging", "s3:PutBucketObjectLockConfiguration",
    ].map((action) => deny(`${action} on the state bucket`, me, { action, resource: f.stateBucket })),
    deny("rewrite a state object's ACL", me, { action: "s3:PutObjectAcl", resource: f.stateObject("data") }),
    ...["dynamodb:UpdateContinuousBackups", "dynamodb:PutResourcePolicy", "dynamodb:DeleteResourcePolicy", "dynamodb:DeleteTable", "dynamodb:UpdateTable"].map((action) =>
      deny(`${action} on the lock table`, me, { action, resource: f.lockTable }),
    ),
    ...["kms:CreateGrant", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:DisableKeyRotation", "kms:DeleteAlias", "kms:UpdateAlias"].map((action) =>
      deny(`${action} on the state key`, me, { action, resource: f.stateKey }),
    ),
    deny("delete the state key's alias", me, { action: "kms:DeleteAlias", resource: f.stateKeyAlias }),
  ];
}

/** The plan role: read state and plan; nothing written but its own lock items. */
export function planScenarios(f: Facts): Scenario[] {
  const me = { role: f.planRole };
  const lockId = (layer: string) => `${f.stateBucketName}/${f.environment}/${layer}.tfstate`;
  return [
    allow("read state", me, { action: "s3:GetObject", resource: f.stateObject("data") }),
    allow("decrypt state through S3", me, {
      action: "kms:Decrypt",
      resource: f.stateKey,
      context: { "kms:ViaService": `s3.${f.region}.amazonaws.com`, "kms:EncryptionContext:aws:s3:arn": f.stateBucket },
    }),
    allow("write its S3 lock file", me, { action: "s3:PutObject", resource: `${f.stateObject("data")}.tflock` }),
    allow("take a DynamoDB lock on a state path", me, { action: "dynamodb:PutItem", resource: f.lockTable, context: { "dynamodb:LeadingKeys": lockId("data") } }),
    allow("release its DynamoDB lock", me, { action: "dynamodb:DeleteItem", resource: f.lockTable, context: { "dynamodb:LeadingKeys": lockId("cluster") } }),
    allow("read the state digest", me, { action: "dynamodb:GetItem", resource: f.lockTable, context: { "dynamodb:LeadingKeys": `${lockId("data")}-md5` } }),
    allow("save a plan for the deploy role", me, { action: "s3:PutObject", resource: savedPlan(f) }),
    allow("encrypt a saved plan with the state key through S3", me, {
      action: "kms:GenerateDataKey",
      resource: f.stateKey,
      context: { "kms:ViaService": `s3.${f.region}.amazonaws.com`, "kms:EncryptionContext:aws:s3:arn": f.stateBucket },
    }),
    deny("read a saved plan (it holds the plan's secret values)", me, { action: "s3:GetObject", resource: savedPlan(f) }),
    deny("delete a saved plan", me, { action: "s3:DeleteObject", resource: savedPlan(f) }),
    deny("write outside plans/ and the lock files", me, { action: "s3:PutObject", resource: `${f.stateBucket}/${f.environment}/plans-not/x.tfplan` }),
    allow("refresh: describe the database", me, { action: "rds:DescribeDBInstances", resource: f.databaseInstance }),
    allow("refresh: describe the cluster", me, { action: "eks:DescribeCluster", resource: f.cluster }),

    deny("write state", me, { action: "s3:PutObject", resource: f.stateObject("data") }),
    deny("delete a state version", me, { action: "s3:DeleteObjectVersion", resource: f.stateObject("data") }),
    deny("overwrite the state digest", me, { action: "dynamodb:PutItem", resource: f.lockTable, context: { "dynamodb:LeadingKeys": `${lockId("data")}-md5` } }),
    deny("delete a lock item outside its state paths", me, { action: "dynamodb:DeleteItem", resource: f.lockTable, context: { "dynamodb:LeadingKeys": `${f.stateBucketName}/other/data.tfstate` } }),
    deny("encrypt with the state key outside S3", me, { action: "kms:Encrypt", resource: f.stateKey }),
    deny("read the database's master secret", me, { action: "secretsmanager:GetSecretValue", resource: f.databaseSecret }),
    deny("read uploaded objects", me, { action: "s3:GetObject", resource: `${f.uploadsBucket}/user-1/avatar.png` }),
    deny("read backups", me, { action: "s3:GetObject", resource: `${f.backupsBucket}/dump.sql` }),
    deny("create a role", me, { action: "iam:CreateRole", resource: f.roleArn("x") }),
    deny("pass a role", me, { action: "iam:PassRole", resource: f.roleArn("eks-node"), context: { "iam:PassedToService": "ec2.amazonaws.com" } }),
    deny("launch instances", me, { action: "ec2:RunInstances", resource: `arn:aws:ec2:${f.region}:${f.account}:instance/*` }),
  ];
}

/** A saved plan of the deploy workflow (modules/github-oidc/ci-roles.ts SAVED_PLANS_PREFIX). */
export const savedPlan = (f: Facts) => `${f.stateBucket}/plans/${f.environment}/123-1-r1/${f.environment}-data.tfplan`;

/**
 * Who may assume the CI roles: GitHub OIDC tokens of the repository's subjects
 * only. The deploy role: jobs in its GitHub environments, never a branch (a job
 * on main naming no environment passes no approval). The plan role: pull
 * requests and the deploy branches (the deploy rounds' plan jobs).
 */
export function ciTrustScenarios(f: Facts, repository: string, cicd: { readonly deployBranches: readonly string[]; readonly deployEnvironments: readonly string[] }): Scenario[] {
  const github = { federated: f.githubOidcProvider };
  const token = (sub: string) => ({ "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": sub });
  const branches = cicd.deployBranches.map((b) => `repo:${repository}:ref:refs/heads/${b}`);
  return [
    ...cicd.deployEnvironments.map((e) =>
      allow(`GitHub token of environment ${e} assumes the deploy role`, github, { action: "sts:AssumeRoleWithWebIdentity", resource: f.roleArn("ci-deploy"), context: token(`repo:${repository}:environment:${e}`) }),
    ),
    ...[...branches, `repo:${repository}:ref:refs/heads/main`].map((sub) =>
      deny(`a job on a branch naming no environment (${sub}) assumes the deploy role`, github, { action: "sts:AssumeRoleWithWebIdentity", resource: f.roleArn("ci-deploy"), context: token(sub) }),
    ),
    ...["dev", "staging", "prod", "qa"].filter((e) => !cicd.deployEnvironments.includes(e)).map((e) =>
      deny(`a job in another GitHub environment (${e}) assumes the deploy role`, github, { action: "sts:AssumeRoleWithWebIdentity", resource: f.roleArn("ci-deploy"), context: token(`repo:${repository}:environment:${e}`) }),
    ),
    allow("a pull request assumes the plan role", github, { action: "sts:AssumeRoleWithWebIdentity", resource: f.roleArn("ci-plan"), context: token(`repo:${repository}:pull_request`) }),
    ...branches.map((sub) => allow(`the deploy workflow on ${sub} assumes the plan role`, github, { action: "sts:AssumeRoleWithWebIdentity", resource: f.roleArn("ci-plan"), context: token(sub) })),
    deny("another branch assumes the plan role", github, { action: "sts:AssumeRoleWithWebIdentity", resource: f.roleArn("ci-plan"), context: token(`repo:${repository}:ref:refs/heads/feature/x`) }),
    deny("a pull request assumes the deploy role", github, { action: "sts:AssumeRoleWithWebIdentity", resource: f.roleArn("ci-deploy"), context: token(`repo:${repository}:pull_request`) }),
    deny("another repository assumes the deploy role", github, { action: "sts:AssumeRoleWithWebIdentity", resource: f.roleArn("ci-deploy"), context: token("repo:someone/else:ref:refs/heads/main") }),
    deny("another repository assumes the plan role", github, { action: "sts:AssumeRoleWithWebIdentity", resource: f.roleArn("ci-plan"), context: token("repo:someone/else:pull_request") }),
  ];
}
