/**
 * The key tree of a chart's values.yaml, and the check of a release's values against it.
 *
 * A tree maps each key of the chart's defaults to its kind: a nested tree for a non-empty
 * mapping, or "map" (an empty mapping: free-form, e.g. nodeSelector), "list", "scalar" or
 * "any" (a null default, which templates treat as optional of any shape). Values below
 * anything but a nested tree are the chart's business, not this check's.
 */
export type KeyKind = "map" | "list" | "scalar" | "any";
export interface KeyTree {
  readonly [key: string]: KeyTree | KeyKind;
}

const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The key tree of parsed chart defaults. */
export function keyTree(defaults: Record<string, unknown>): KeyTree {
  const out: Record<string, KeyTree | KeyKind> = {};
  for (const [k, v] of Object.entries(defaults)) {
    if (v === null || v === undefined) out[k] = "any";
    else if (Array.isArray(v)) out[k] = "list";
    else if (isMapping(v)) out[k] = Object.keys(v).length === 0 ? "map" : keyTree(v);
    else out[k] = "scalar";
  }
  return out;
}

/**
 * Paths of `values` the chart does not know (a typo, or a key of another chart version),
 * and of values whose shape contradicts the default (a mapping where the chart has a list...).
 * `freeForm` names dotted paths whose mapping takes any keys though its default is not empty
 * (cluster-autoscaler's `extraArgs`: every flag of the binary).
 */
export function unknownValues(values: Record<string, unknown>, tree: KeyTree, freeForm: readonly string[] = [], prefix = ""): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(values)) {
    const path = prefix ? `${prefix}.${k}` : k;
    const kind = tree[k];
    if (kind === undefined) {
      out.push(`${path}: not a key of the chart's values.yaml`);
      continue;
    }
    if (freeForm.includes(path) || kind === "any" || v === null) continue;
    if (typeof kind === "object" || kind === "map") {
      if (!isMapping(v)) out.push(`${path}: the chart expects a mapping, got ${Array.isArray(v) ? "a list" : typeof v}`);
      else if (typeof kind === "object") out.push(...unknownValues(v, kind, freeForm, path));
    } else if (kind === "list" && !Array.isArray(v)) {
      out.push(`${path}: the chart expects a list, got ${isMapping(v) ? "a mapping" : typeof v}`);
    } else if (kind === "scalar" && (isMapping(v) || Array.isArray(v))) {
      out.push(`${path}: the chart expects a single value, got ${Array.isArray(v) ? "a list" : "a mapping"}`);
    }
  }
  return out;
}

/** A chart's key file (modules/helm-addon/chart-keys/<chart>.json), written by refresh.ts. */
export interface ChartKeysFile {
  readonly chart: string;
  readonly version: string;
  readonly source: { readonly repository: string; readonly tag: string; readonly commit: string; readonly path: string; readonly sha256: string };
  readonly keys: KeyTree;
}
