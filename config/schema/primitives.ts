import { z } from "zod";

/** Reusable field types shared by every section of the environment schema. */

export const AWS_REGIONS = [
  "us-east-1", "us-east-2", "us-west-1", "us-west-2",
  "af-south-1",
  "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2",
  "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7",
  "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
  "ca-central-1", "ca-west-1",
  "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3",
  "eu-south-1", "eu-south-2", "eu-north-1",
  "il-central-1", "me-south-1", "me-central-1", "mx-central-1", "sa-east-1",
] as const;

export const awsRegion = z.enum(AWS_REGIONS, {
  error: (issue) => `must be an AWS region code (e.g. eu-west-1), got ${JSON.stringify(issue.input)}`,
});

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const logRetentionDays = z
  .number()
  .int()
  .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
    message: `must be one of CloudWatch Logs' retention periods: ${LOG_RETENTION_DAYS.join(", ")}`,
  });

export const accountId = z.string().regex(/^\d{12}$/, "must be a 12-digit AWS account id, quoted as a string");

// RFC 1035 labels, at least two labels, lower case, 253 characters at most.
const DOMAIN = /^(?=.{1,253}$)(?!-)([a-z0-9-]{1,63}(?<!-)\.)+[a-z]{2,63}$/;
export const domainName = z.string().regex(DOMAIN, "must be a lower-case DNS name such as app.example.com");

// A pragmatic RFC 5322 subset: what SNS and Budgets accept in practice.
const EMAIL = /^[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+\.)+[A-Za-z]{2,63}$/;
export const emailAddress = z.string().regex(EMAIL, "must be an e-mail address such as ops@example.com");

/** Semantic version without a leading "v" (Helm chart versions, add-on versions). */
export const semver = z
  .string()
  .regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/, "must be a semantic version such as 1.2.3");

/** S3 bucket naming rules (general purpose buckets). */
export const bucketName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be 3-63 characters of lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit")
  .refine((n) => !/\.\.|^\d+\.\d+\.\d+\.\d+$|^xn--|-s3alias$|--ol-s3$/.test(n), {
    message: "must not contain '..', look like an IP address, start with 'xn--' or end with '-s3alias'/'--ol-s3'",
  });

/** Lower-case resource name part: letters, digits and single hyphens. */
export const nameToken = z
  .string()
  .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, "must be lower-case letters, digits and single hyphens, starting with a letter");

export const positiveInt = z.number().int().positive();
