import { STATEFUL_TYPES, type StatefulType } from "../stateful-types";
import { changeKind, formatPaths, replaceOrder, type TerraformPlan } from "./plan";

/** The environment variable that lets a plan destroy stateful resources (set by CI from the `allow-data-loss` label). */
export const OVERRIDE_VARIABLE = "UPSKILL_ALLOW_DATA_LOSS";
/** The pull-request label that sets it. */
export const OVERRIDE_LABEL = "allow-data-loss";

/** A stateful resource that a plan would destroy or replace. */
export interface DataLossFinding {
  /** The plan file (or stack) the change comes from. */
  readonly source: string;
  readonly address: string;
  readonly type: string;
  readonly kind: "delete" | "replace";
  readonly order?: "delete-before-create" | "create-before-destroy" | "create-then-forget";
  /** Terraform's `action_reason`, when given. */
  readonly reason?: string;
  /** Attributes that forced the replacement. */
  readonly replacePaths: readonly string[];
  /** Set when the object is a deposed one. */
  readonly deposed?: string;
  readonly loses: string;
}

/**
 * Every managed resource of a stateful type that the plan deletes or replaces
 * (in either order: a create-before-destroy replacement still destroys the
 * object that holds the data). Data sources are never destroyed.
 */
export function findDataLoss(
  plan: TerraformPlan,
  source: string,
  types: Readonly<Record<string, StatefulType>> = STATEFUL_TYPES,
): DataLossFinding[] {
  const findings: DataLossFinding[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode === "data" || !Object.prototype.hasOwnProperty.call(types, rc.type)) continue;
    const kind = changeKind(rc.change.actions);
    if (kind !== "delete" && kind !== "replace") continue;
    const order = replaceOrder(rc.change.actions);
    findings.push({
      source,
      address: rc.address,
      type: rc.type,
      kind,
      ...(order ? { order } : {}),
      ...(rc.action_reason ? { reason: rc.action_reason } : {}),
      replacePaths: formatPaths(rc.change.replace_paths),
      ...(rc.deposed ? { deposed: rc.deposed } : {}),
      loses: types[rc.type]!.loses,
    });
  }
  return findings;
}

/** Whether the override is set: `true` or `1` (any case); anything else, or unset, is not. */
export function overrideIsSet(env: Readonly<Record<string, string | undefined>>): boolean {
  const value = (env[OVERRIDE_VARIABLE] ?? "").trim().toLowerCase();
  return value === "true" || value === "1";
}

/** One line naming the resource, what happens to it, why and what is lost. */
export function describeFinding(f: DataLossFinding): string {
  const order =
    f.order === "create-before-destroy"
      ? "create, then destroy the old one"
      : f.order === "create-then-forget"
        ? "create an empty one, then forget the old one: it stays in AWS, unmanaged, and nothing uses it"
        : "destroy, then create";
  const what = f.kind === "replace" ? `would be REPLACED (${order})` : "would be DESTROYED";
  const why = [f.reason, f.replacePaths.length > 0 ? `forced by ${f.replacePaths.join(", ")}` : undefined].filter(Boolean).join("; ");
  const deposed = f.deposed ? ` (deposed object ${f.deposed})` : "";
  return `${f.source}: ${f.address}${deposed} ${what}${why ? ` [${why}]` : ""} — loses ${f.loses}`;
}
