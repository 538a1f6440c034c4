import type { RuleContext, RuleResult, SynthResource } from "./types";

export const pass = (message: string): RuleResult => ({ status: "pass", message });
export const fail = (message: string): RuleResult => ({ status: "fail", message });
export const na = (message: string): RuleResult => ({ status: "na", message });

/** A nested block as a list: cdktf writes single blocks as objects and repeated ones as arrays. */
export function blocks(value: unknown): Record<string, any>[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((v) => v && typeof v === "object");
}

/** The first (usually only) block of a nested block attribute. */
export function block(value: unknown): Record<string, any> | undefined {
  return blocks(value)[0];
}

/** A list attribute as an array (a lone value becomes a one-element list). */
export function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** True for `true` and `"true"` (cdktf writes some booleans as strings). */
export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

/** A value that is a Terraform expression, known only at apply time. */
export function isExpression(value: unknown): value is string {
  return typeof value === "string" && value.includes("${");
}

/** A value worth showing in a message, shortened. */
export function show(value: unknown): string {
  const s = typeof value === "string" ? value : JSON.stringify(value);
  return s === undefined ? "unset" : s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** `<type>.<name>`: how an expression refers to a resource (data sources: `data.<type>.<name>`). */
export function localAddress(r: SynthResource): string {
  return r.address.slice(r.address.indexOf("/") + 1);
}

/** Numbers may be written as strings by cdktf. */
export function num(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return undefined;
}

/**
 * Resources of `type` in the bucket's stack that configure it: they refer to
 * it (`${aws_s3_bucket.<name>.id}`) or name it literally in their `bucket`.
 */
export function bucketCompanions(bucket: SynthResource, type: string, context: RuleContext): SynthResource[] {
  const byReference = context.referencing(bucket, type);
  const name = bucket.config.bucket;
  const byName = typeof name === "string" && !isExpression(name) ? context.resources(type).filter((r) => r.config.bucket === name) : [];
  return [...new Set([...byReference, ...byName])];
}
