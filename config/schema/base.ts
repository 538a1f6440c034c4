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

export const cicdSchema = z
  .object({
    /** GitHub repository allowed to assume the CI roles, `owner/name`. */
    repository: z.string().regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, "must be a GitHub repository as owner/name"),
    /** Branches whose workflows may assume the deploy role. */
    deployBranches: z.array(z.string().min(1)).min(1).default(["main"]),
    /** GitHub environments whose jobs may assume the deploy role. */
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
