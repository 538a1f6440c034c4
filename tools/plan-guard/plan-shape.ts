/**
 * The shape of a plan in Terraform's JSON format: the key paths of its
 * top level, of each resource change and of each change, without the
 * resource-specific values under before/after. The guard's hand-written
 * fixtures must have the shape of a plan Terraform really writes.
 */
const VALUE_KEYS = new Set(["before", "after", "after_unknown", "before_sensitive", "after_sensitive", "replace_paths", "importing"]);

/**
 * Keys Terraform 1.11 writes only for some changes (internal/command/jsonplan/plan.go):
 * replacements, deposed objects, moves, imports, forgets, generated config.
 */
export const CONDITIONAL_CHANGE_KEYS: readonly string[] = [
  "resource_changes[].action_reason",
  "resource_changes[].deposed",
  "resource_changes[].previous_address",
  "resource_changes[].index",
  "resource_changes[].module_address",
  "resource_changes[].change.replace_paths",
  "resource_changes[].change.importing",
  "resource_changes[].change.generated_config",
  "resource_changes[].change.before_identity",
  "resource_changes[].change.after_identity",
];

export function planShape(plan: unknown): Set<string> {
  const keys = new Set<string>();
  const visit = (v: unknown, at: string, depth: number) => {
    if (Array.isArray(v)) {
      for (const e of v) visit(e, `${at}[]`, depth);
      return;
    }
    if (v === null || typeof v !== "object") return;
    for (const [k, child] of Object.entries(v)) {
      const p = at ? `${at}.${k}` : k;
      keys.add(p);
      const inChange = at.endsWith(".change") || at.endsWith("resource_changes[]");
      if ((inChange && VALUE_KEYS.has(k)) || depth >= 3) continue;
      if (at === "" && !["resource_changes", "resource_drift"].includes(k)) continue;
      visit(child, p, depth + 1);
    }
  };
  visit(plan, "", 0);
  return keys;
}

/** Key paths of `fixture` that no real plan in `real` has (conditional keys excepted). */
export function unknownKeys(fixture: unknown, real: readonly unknown[]): string[] {
  const known = new Set<string>(CONDITIONAL_CHANGE_KEYS);
  for (const r of real) for (const k of planShape(r)) known.add(k);
  return [...planShape(fixture)].filter((k) => !known.has(k)).sort();
}
