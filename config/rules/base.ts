import { githubConnectionName, runnerProjectName } from "../../modules/ci-runner/runs-on";
import { problem, type ConfigRule } from "./types";

/** Regions, availability zones and derived names. */

export const drRegionDiffers: ConfigRule = (env) =>
  env.drRegion === env.region ? [problem("drRegion", env.drRegion, `must differ from region (${env.region}) so a regional outage spares the copies`)] : [];

export const azCount: ConfigRule = (env) => {
  const min = env.isProduction ? 3 : 2;
  return env.availabilityZones.length < min
    ? [problem("availabilityZones", env.availabilityZones, `${env.isProduction ? "a production environment" : "an environment"} needs at least ${min} availability zones`)]
    : [];
};

export const azInRegion: ConfigRule = (env) =>
  env.availabilityZones.flatMap((az, i) =>
    new RegExp(`^${env.region}[a-z]$`).test(az)
      ? []
      : [problem(`availabilityZones[${i}]`, az, `must be an availability zone of ${env.region}, such as ${env.region}a`)],
  );

export const azUnique: ConfigRule = (env) =>
  env.availabilityZones.flatMap((az, i) =>
    env.availabilityZones.indexOf(az) !== i ? [problem(`availabilityZones[${i}]`, az, "is listed twice")] : [],
  );

const BUCKET = /^(?!xn--)(?!.*-s3alias$)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export const stateBucketName: ConfigRule = (env) =>
  BUCKET.test(env.names.stateBucket)
    ? []
    : [problem(env.state.bucket ? "state.bucket" : "project", env.state.bucket ?? env.project, `gives the state bucket name ${env.names.stateBucket}, which S3 refuses (3-63 lower-case letters, digits, '.', '-')`)];

export const clusterName: ConfigRule = (env) =>
  /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/.test(env.names.cluster)
    ? []
    : [problem(env.cluster.name ? "cluster.name" : "project", env.cluster.name ?? env.project, "gives a cluster name EKS refuses (1-100 letters, digits, '-', '_', starting with a letter or digit)")];

export const postgresIdentifier: ConfigRule = (env) =>
  /^[a-z](?!.*--)[a-z0-9-]{0,62}(?<!-)$/.test(env.names.postgres)
    ? []
    : [problem(env.data.postgres.identifier ? "data.postgres.identifier" : "project", env.data.postgres.identifier ?? env.project, `gives the RDS identifier ${env.names.postgres}, which RDS refuses (1-63 lower-case letters, digits and hyphens, a letter first, no '--', no trailing '-')`)];

export const oidcProviderInAccount: ConfigRule = (env) => {
  const arn = env.cicd.oidcProviderArn;
  return arn && arn.split(":")[4] !== env.accountId
    ? [problem("cicd.oidcProviderArn", arn, `must belong to accountId ${env.accountId}: roles trust a provider of their own account`)]
    : [];
};

export const deployTrustNamed: ConfigRule = (env) =>
  env.cicd.deployBranches.flatMap((b, i) =>
    /^[*?]+$/.test(b) ? [problem(`cicd.deployBranches[${i}]`, b, "must name branches (patterns such as release/* are fine), not trust every branch")] : [],
  ).concat(
    env.cicd.deployEnvironments.flatMap((e, i) =>
      /[*?]/.test(e) ? [problem(`cicd.deployEnvironments[${i}]`, e, "must be a GitHub environment name without wildcards")] : [],
    ),
  );

/**
 * The deploy role trusts GitHub environments only (modules/github-oidc): at least one must be named,
 * and a production environment's deploy role trusts exactly its own, whose required reviewers approve its applies.
 */
export const deployEnvironmentsGate: ConfigRule = (env) =>
  env.cicd.deployEnvironments.length === 0
    ? [problem("cicd.deployEnvironments", [], "must name at least one GitHub environment: the deploy role trusts GitHub environments only")]
    : env.isProduction && !(env.cicd.deployEnvironments.length === 1 && env.cicd.deployEnvironments[0] === env.name)
      ? [problem("cicd.deployEnvironments", env.cicd.deployEnvironments, `must be exactly ["${env.name}"] in a production environment: the deploy role trusts only the GitHub environment whose required reviewers approve its applies`)]
      : [];

/** The CodeBuild runners' names: the connection (CodeConnections allows 32 characters) and the role (IAM allows 64). */
export const runnerNames: ConfigRule = (env) => {
  if (env.cicd.runner.type !== "codebuild") return [];
  const connection = githubConnectionName(env.names.prefix);
  const role = `${runnerProjectName(env.names.prefix)}-codebuild`;
  const out = [];
  if (connection.length > 32) out.push(problem("project", env.project, `gives the CI runners' GitHub connection the name ${connection} (${connection.length} characters); CodeConnections allows 32: use a shorter project or environment name`));
  if (role.length > 64) out.push(problem("project", env.project, `gives the CI runners' role the name ${role} (${role.length} characters); IAM allows 64`));
  return out;
};

export const baseRules: readonly ConfigRule[] = [
  drRegionDiffers, azCount, azInRegion, azUnique, stateBucketName, clusterName, postgresIdentifier, oidcProviderInAccount, deployTrustNamed, deployEnvironmentsGate, runnerNames,
];
