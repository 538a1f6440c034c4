import type { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { LAYERS, LayerStack, stateKeyAlias, type LayerStackProps } from "./layer-stack";
import { WorkloadBoundary } from "../modules/permissions-boundary/permissions-boundary";
import { KmsKey } from "../modules/kms-key/kms-key";
import { AccessLogBucket } from "../modules/secure-bucket/access-log-bucket";
import { SecureBucket } from "../modules/secure-bucket/secure-bucket";
import { StateLockTable } from "../modules/state-lock-table/state-lock-table";
import { GithubOidcProvider } from "../modules/github-oidc/github-oidc-provider";
import { GithubCiRoles, SAVED_PLANS_PREFIX } from "../modules/github-oidc/ci-roles";
import { CodeconnectionsConnection } from "@cdktf/provider-aws/lib/codeconnections-connection";
import { githubConnectionName } from "../modules/ci-runner/runs-on";

export type BootstrapStackProps = LayerStackProps;

/** Days a saved plan of the deploy workflow is kept when no apply job deleted it (cancelled or unapproved runs). */
export const SAVED_PLAN_EXPIRATION_DAYS = 3;

/**
 * `<env>-bootstrap`: the state bucket, the lock table, the key encrypting both,
 * and the CI roles for GitHub Actions. Local state: it creates what the other
 * layers' backend needs, so an administrator applies it once per environment.
 * Later layers know the bucket and table by their configured names
 * (`environment.names`), never through cross-stack references to this stack.
 */
export class BootstrapStack extends LayerStack {
  readonly stateBucketName: string;
  readonly stateBucketArn: string;
  readonly lockTableName: string;
  readonly lockTableArn: string;
  readonly stateKeyArn: string;
  readonly planRoleArn: string;
  readonly deployRoleArn: string;
  /** The CodeConnections connection of the CI runners; undefined when `cicd.runner.type` is github-hosted. */
  readonly githubConnectionArn?: string;

  constructor(scope: Construct, props: BootstrapStackProps) {
    super(scope, "bootstrap", props);
    const env = this.environment;

    const key = new KmsKey(this, "state-key", {
      alias: stateKeyAlias(env),
      description: `Terraform state of ${env.names.prefix}: the state bucket and the lock table`,
      accountId: env.accountId,
    });
    // Who read or wrote which state file, and when: the state holds every layer's secrets' references.
    const stateLogs = new AccessLogBucket(this, "state-access-logs", {
      bucketName: `${env.names.prefix}-tfstate-logs-${env.accountId}`,
      accountId: env.accountId,
      retentionDays: env.logRetentionDays,
      noncurrentVersionDays: env.state.noncurrentVersionDays,
    });
    const bucket = new SecureBucket(this, "state-bucket", {
      bucketName: env.names.stateBucket,
      kmsKeyArn: key.keyArn,
      noncurrentVersionDays: env.state.noncurrentVersionDays,
      accessLogs: stateLogs.accessLogsFor(env.names.stateBucket),
      // Saved plans live from the deploy round's plan job to its apply job (which deletes them);
      // those of cancelled or unapproved runs go after a few days, never the state files.
      lifecycleRules: [{ id: "expire-saved-plans", prefix: SAVED_PLANS_PREFIX, expirationDays: SAVED_PLAN_EXPIRATION_DAYS }],
    });
    const table = new StateLockTable(this, "lock-table", { tableName: env.names.lockTable, kmsKeyArn: key.keyArn });

    // IAM allows one provider per issuer and account: reuse it where another environment shares the account.
    const oidcProviderArn = env.cicd.oidcProviderArn ?? new GithubOidcProvider(this, "github-oidc").providerArn;
    const iamArn = (kind: string, name: string) => `arn:aws:iam::${env.accountId}:${kind}/${name}`;
    const boundary = new WorkloadBoundary(this, "workload-boundary", {
      prefix: env.names.prefix,
      accountId: env.accountId,
      protect: {
        stateBucketArn: bucket.bucketArn,
        lockTableArn: table.tableArn,
        stateKeyArn: key.keyArn,
        ciRolesArnPattern: iamArn("role", `${env.names.prefix}-ci-*`),
        oidcProviderArn: iamArn("oidc-provider", "token.actions.githubusercontent.com"),
      },
    });
    const ci = new GithubCiRoles(this, "ci", {
      oidcProviderArn,
      repository: env.cicd.repository,
      deployBranches: env.cicd.deployBranches,
      deployEnvironments: env.cicd.deployEnvironments,
      production: env.isProduction,
      environmentName: env.name,
      namePrefix: env.names.prefix,
      accountId: env.accountId,
      state: { bucketArn: bucket.bucketArn, bucketName: env.names.stateBucket, lockTableArn: table.tableArn, kmsKeyArn: key.keyArn, kmsAliasArn: key.aliasArn },
      boundaryArn: boundary.policyArn,
      statePaths: LAYERS.filter((l) => l !== "bootstrap").map((l) => `${env.name}/${l}.tfstate`),
      region: env.region,
    });

    // The CodeBuild runners' link to GitHub (cluster layer, found by name). Created PENDING: a person
    // completes the GitHub App handshake in the console right after (docs/runbook.md, step 1). Not a secret.
    if (env.cicd.runner.type === "codebuild") {
      const connection = new CodeconnectionsConnection(this, "github-connection", { name: githubConnectionName(env.names.prefix), providerType: "GitHub" });
      this.githubConnectionArn = connection.arn;
      new TerraformOutput(this, "github_connection_arn", { value: connection.arn, description: "CodeConnections connection of the CI runners: complete its GitHub handshake in the console (Developer Tools > Settings > Connections)" });
    }

    this.stateBucketName = bucket.bucketName;
    this.stateBucketArn = bucket.bucketArn;
    this.lockTableName = table.tableName;
    this.lockTableArn = table.tableArn;
    this.stateKeyArn = key.keyArn;
    this.planRoleArn = ci.planRoleArn;
    this.deployRoleArn = ci.deployRoleArn;

    // The workflows' `role-to-assume` values.
    new TerraformOutput(this, "plan_role_arn", { value: ci.planRoleArn, description: "Role GitHub Actions assume to plan on pull requests" });
    new TerraformOutput(this, "deploy_role_arn", { value: ci.deployRoleArn, description: "Role GitHub Actions assume to deploy from the configured branches and environments" });
    new TerraformOutput(this, "state_bucket", { value: bucket.bucketName, description: "S3 backend bucket of the other layers" });
    new TerraformOutput(this, "lock_table", { value: table.tableName, description: "S3 backend DynamoDB lock table of the other layers" });
  }
}
