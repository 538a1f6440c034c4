import { z } from "zod";
import { accountId, awsRegion, bucketName, domainName, logRetentionDays, nameToken } from "./primitives";
import { domainZoneFields } from "./edge";

/** Fields every layer reads: identity, regions, AZs, naming, state and CI trust. */

export const stateSchema = z
  .object({
    /** Default: `<project>-<env>-tfstate-<accountId>`. */
    bucket: bucketName.optional(),
    /** Default: `<project>-<env>-tflock`. */
    lockTable: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{3,255}$/, "must be 3-255 characters of letters, digits, '_', '-' and '.'")
      .optional(),
    /** Days a superseded state version is kept. */
    noncurrentVersionDays: z.number().int().min(1).max(3650).default(90),
  })
  .strict();

/** CodeBuild compute types a GitHub Actions runner project may use (EC2, Linux containers). */
export const CODEBUILD_COMPUTE_TYPES = ["BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_MEDIUM", "BUILD_GENERAL1_LARGE", "BUILD_GENERAL1_XLARGE", "BUILD_GENERAL1_2XLARGE"] as const;

/**
 * Where the environment's CI jobs run (docs/ci-runners.md).
 * - `codebuild` (default): AWS CodeBuild-hosted GitHub Actions runners in the VPC's private
 *   subnets (cluster layer, modules/ci-runner): ephemeral, one build per job, they reach the
 *   cluster's private endpoint.
 * - `github-hosted`: GitHub's runners; they reach only a public endpoint open to 0.0.0.0/0
 *   (their addresses are not enumerable within EKS's 40 CIDRs), so non-production only.
 */
export const runnerSchema = z.discriminatedUnion(
  "type",
  [
    z
      .object({
        type: z.literal("codebuild"),
        /** Default BUILD_GENERAL1_MEDIUM (4 vCPU, 7 GB): synthesis and the rehearsal run in minutes. */
        computeType: z.enum(CODEBUILD_COMPUTE_TYPES, { error: `must be one of ${CODEBUILD_COMPUTE_TYPES.join(", ")}` }).default("BUILD_GENERAL1_MEDIUM"),
        /** Default aws/codebuild/standard:7.0 (Ubuntu 22.04, AWS CLI); the workflows install Node and Terraform. */
        image: z.string().regex(/^(aws\/codebuild\/[a-z0-9._-]+:[A-Za-z0-9._-]+|\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/[a-z0-9._\/-]+(:[A-Za-z0-9._-]+|@sha256:[a-f0-9]{64}))$/, "must be a CodeBuild curated image (aws/codebuild/<name>:<version>) or an ECR image of an account").default("aws/codebuild/standard:7.0"),
        /**
         * Longest job in minutes; CodeBuild stops the runner then. Default 240, the deploy
         * role's session (apply.yml asks for 4 h), so no apply outlives its credentials.
         */
        timeoutMinutes: z.number().int().min(5).max(2160).default(240),
        /** Runner builds at once. Default: CodeBuild's account quota only. */
        concurrentBuildLimit: z.number().int().min(1).optional(),
      })
      .strict(),
    z.object({ type: z.literal("github-hosted") }).strict(),
  ],
  { error: 'must be { type: codebuild, ... } or { type: github-hosted }' },
);
export type RunnerConfig = z.infer<typeof runnerSchema>;

export const cicdSchema = z
  .object({
    /** GitHub repository allowed to assume the CI roles, `owner/name`. */
    repository: z.string().regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, "must be a GitHub repository as owner/name"),
    /** Branches whose deploy workflow plans with the plan role (the deploy role trusts no branch). */
    deployBranches: z.array(z.string().min(1)).min(1).default(["main"]),
    /** GitHub environments whose jobs may assume the deploy role: its only subjects (production: exactly the environment's name). */
    deployEnvironments: z.array(z.string().min(1)).default([]),
    /**
     * ARN of an existing GitHub Actions OIDC provider of the account (IAM allows one per
     * issuer and account). Default: the bootstrap layer creates it; set this for the
     * second environment that shares an account.
     */
    oidcProviderArn: z
      .string()
      .regex(/^arn:aws:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/, "must be the ARN of the account's GitHub OIDC provider, arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com")
      .optional(),
    /** Where the CI jobs run. Default: CodeBuild-hosted runners in the VPC with the defaults above. */
    runner: runnerSchema.default({ type: "codebuild", computeType: "BUILD_GENERAL1_MEDIUM", image: "aws/codebuild/standard:7.0", timeoutMinutes: 240 }),
  })
  .strict();

export const domainSchema = z
  .object({
    name: domainName,
    ...domainZoneFields,
  })
  .strict();

export const baseFields = {
  project: nameToken.default("upskill"),
  /** Production rules (3+ AZs, 7+ days of backups...). Default: true for the file named prod.yaml. */
  production: z.boolean().optional(),
  accountId,
  region: awsRegion,
  drRegion: awsRegion,
  availabilityZones: z.array(z.string()).min(1, "must list at least one availability zone"),
  domain: domainSchema,
  /** Extra tags merged under the mandatory Project/Environment/Layer/ManagedBy tags. */
  tags: z.record(z.string().min(1).max(128), z.string().max(256)).default({}),
  /** Retention of every CloudWatch log group the stacks create. */
  logRetentionDays: logRetentionDays.default(365),
  state: stateSchema.default({ noncurrentVersionDays: 90 }),
  cicd: cicdSchema,
};
