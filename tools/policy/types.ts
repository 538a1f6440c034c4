import type { SynthResource } from "../synth/app";

export type { SynthResource };

/** What a rule says about one resource. */
export type RuleStatus = "pass" | "fail" | "na";

export interface RuleResult {
  readonly status: RuleStatus;
  /** What was found (pass), what is wrong and how to fix it (fail), or why it does not apply (na). */
  readonly message: string;
}

/** The baseline a rule belongs to (the audit report's columns). */
export type Category = "encryption" | "public exposure" | "deletion protection" | "backups" | "tls" | "iam" | "logging" | "hardening";

/** What a rule can see besides the resource: the rest of its stack. */
export interface RuleContext {
  /** Resources of the resource's stack, of one type. */
  resources(type: string): readonly SynthResource[];
  /** Data sources of the resource's stack, of one type. */
  dataSources(type: string): readonly SynthResource[];
  /** Resources of `type` in the same stack whose configuration refers to `target` (`${<type>.<name>.…}`). */
  referencing(target: SynthResource, type: string): SynthResource[];
  /** The resource or data source of the same stack that an expression such as `${aws_kms_key.data.arn}` refers to. */
  resolve(expression: unknown): SynthResource | undefined;
}

/**
 * A policy rule, in the spirit of cdk-nag: a pure check of one synthesized
 * resource (plus its stack), "error" rules being the baselines of
 * ARCHITECTURE.md and "warning" rules what a reviewer should look at.
 */
export interface Rule {
  /** Kebab-case id, also the file name under tools/policy/rules/. */
  readonly id: string;
  readonly category: Category;
  readonly level: "error" | "warning";
  /** What the rule requires, one sentence. */
  readonly description: string;
  /** The resource types it checks. */
  readonly appliesTo: readonly string[];
  check(resource: SynthResource, context: RuleContext): RuleResult;
}

/**
 * An accepted exception. `address` is a resource address (`dev-data/aws_s3_bucket.logs`)
 * where `*` matches any run of characters; the reason is mandatory.
 */
export interface Suppression {
  readonly rule: string;
  readonly address: string;
  readonly reason: string;
}

/** A rule's result on one resource, after suppressions. */
export interface Verdict {
  readonly rule: string;
  readonly category: Category;
  readonly level: Rule["level"];
  readonly address: string;
  readonly stack: string;
  readonly type: string;
  /** "fail" for an error rule, "warn" for a warning rule that fails; "suppressed" when an exception covers it. */
  readonly status: "pass" | "fail" | "warn" | "na" | "suppressed";
  readonly message: string;
  /** The suppression's reason, for a suppressed verdict. */
  readonly reason?: string;
}
