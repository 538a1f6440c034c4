import { findDataLoss, type DataLossFinding } from "./guard";
import { changeKind, replaceOrder, type TerraformPlan } from "./plan";

/** What one plan does, counted the way a reviewer reads it. */
export interface PlanSummary {
  readonly source: string;
  /** Managed resources created (replacements not included). */
  readonly adds: number;
  /** Managed resources updated in place. */
  readonly changes: number;
  /** Managed resources replaced, in either order, or created anew while the old object is forgotten (`create,forget`). */
  readonly replacements: number;
  /** Managed resources destroyed (replacements not included). */
  readonly destroys: number;
  /** Resources removed from state but left in AWS (`removed` blocks with destroy = false). */
  readonly forgets: number;
  /** Data sources that can only be read during apply. */
  readonly deferredReads: number;
  readonly imports: number;
  /** Resources whose address moved (moved blocks). */
  readonly moves: number;
  readonly unchanged: number;
  readonly replaced: readonly string[];
  readonly destroyed: readonly string[];
  /** Stateful resources destroyed or replaced (see the guard). */
  readonly dataLoss: readonly DataLossFinding[];
}

/** Counts a plan's managed-resource changes by kind and lists the destructive ones. */
export function summarizePlan(plan: TerraformPlan, source: string): PlanSummary {
  let adds = 0, changes = 0, replacements = 0, destroys = 0, forgets = 0, deferredReads = 0, imports = 0, moves = 0, unchanged = 0;
  const replaced: string[] = [];
  const destroyed: string[] = [];
  for (const rc of plan.resource_changes ?? []) {
    const kind = changeKind(rc.change.actions);
    if (rc.mode === "data") {
      if (kind === "read") deferredReads++;
      continue;
    }
    if (rc.change.importing) imports++;
    if (rc.previous_address && rc.previous_address !== rc.address) moves++;
    switch (kind) {
      case "create": adds++; break;
      case "update": changes++; break;
      case "replace": replacements++; replaced.push(replaceOrder(rc.change.actions) === "create-then-forget" ? `${rc.address} (old object forgotten)` : rc.address); break;
      case "delete": destroys++; destroyed.push(rc.deposed ? `${rc.address} (deposed ${rc.deposed})` : rc.address); break;
      case "forget": forgets++; break;
      default: unchanged++;
    }
  }
  return { source, adds, changes, replacements, destroys, forgets, deferredReads, imports, moves, unchanged, replaced, destroyed, dataLoss: findDataLoss(plan, source) };
}

/** True when the plan changes nothing managed. */
export function isEmpty(s: PlanSummary): boolean {
  return s.adds + s.changes + s.replacements + s.destroys + s.forgets + s.imports + s.moves === 0;
}

/** `3 to add, 1 to change, 0 to replace, 0 to destroy` (plus imports, moves and forgets when any). */
export function describeSummary(s: PlanSummary): string {
  const parts = [`${s.adds} to add`, `${s.changes} to change`, `${s.replacements} to replace`, `${s.destroys} to destroy`];
  if (s.imports) parts.push(`${s.imports} to import`);
  if (s.moves) parts.push(`${s.moves} moved`);
  if (s.forgets) parts.push(`${s.forgets} to forget`);
  return parts.join(", ");
}
