import type { Diagnostic } from "./terraform";

/**
 * Terraform warnings the rehearsal accepts, each with its reason. Any other
 * warning fails the rehearsal: a warning today is an error in a later release.
 */
export interface AllowedWarning {
  readonly summary: RegExp;
  /** Matched against the whole diagnostic when set. */
  readonly text?: RegExp;
  readonly reason: string;
}

export const ALLOWED_WARNINGS: readonly AllowedWarning[] = [
  {
    summary: /^Deprecated Parameter$/,
    text: /dynamodb_table/,
    reason:
      "The S3 backend's DynamoDB locking is deprecated from Terraform 1.11; the stacks hold both it and S3-native lock files (use_lockfile), the documented migration path, until every user's Terraform takes the lock files alone.",
  },
  {
    summary: /^Incomplete lock file information for providers$/,
    reason:
      "The rehearsal installs its schema-only providers from a local mirror into a throw-away copy of each stack, so Terraform can only hash them for this platform; the lock file is discarded with the copy and never reaches the repository.",
  },
];

/** The reason a warning is accepted, or undefined when it must fail the rehearsal. */
export function allowedWarning(d: Pick<Diagnostic, "summary" | "text">, list: readonly AllowedWarning[] = ALLOWED_WARNINGS): string | undefined {
  return list.find((a) => a.summary.test(d.summary) && (!a.text || a.text.test(d.text)))?.reason;
}
