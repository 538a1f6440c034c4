/**
 * Records an accepted exception to a policy rule on a resource, in the
 * synthesized JSON (`"//": { "suppressions": [...] }`, ignored by Terraform),
 * where the audit and the policy tests find it. The reason is mandatory:
 *
 *   suppress(bucket, "s3-bucket-versioning", "access logs are written once and expire after 90 days");
 *
 * Takes any construct with cdktf's addOverride, so it needs no cdktf import.
 */
import { MIN_REASON_LENGTH } from "./engine";

const recorded = new WeakMap<object, Array<{ rule: string; reason: string }>>();

export function suppress(resource: { addOverride(path: string, value: unknown): void }, rule: string, reason: string): void {
  if (reason.trim().length < MIN_REASON_LENGTH) {
    throw new Error(`suppress(${rule}): give a reason of ${MIN_REASON_LENGTH}+ characters saying why the exception is safe`);
  }
  const entries = recorded.get(resource) ?? [];
  entries.push({ rule, reason: reason.trim() });
  recorded.set(resource, entries);
  resource.addOverride("//.suppressions", [...entries]);
}
