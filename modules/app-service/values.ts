import type { HelmValues } from "../helm-addon/values";

/** Values from one file, named for error messages (e.g. `helm-values/upskill-api.yaml`). */
export interface ValuesLayer {
  readonly source: string;
  readonly values: HelmValues;
}

const isMapping = (v: unknown): v is HelmValues => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Each computed value has one source. Throws, naming the file and the key to
 * remove, when a values file sets a key the computed values set (unless both
 * hold mappings there, which merge) or one of `computedOnlyKeys`, top-level
 * keys the computed values own as a whole (node placement, for instance).
 */
export function assertNoComputedKeys(layers: readonly ValuesLayer[], computed: HelmValues, computedOnlyKeys: readonly string[] = []): void {
  for (const layer of layers) {
    const clash = computedOnlyKeys.find((k) => k in layer.values) ?? firstClash(layer.values, computed, []);
    if (clash) throw new Error(`${layer.source} sets ${clash}, which the app layer computes; remove it from the file`);
  }
}

function firstClash(file: HelmValues, computed: HelmValues, at: readonly string[]): string | undefined {
  for (const [k, v] of Object.entries(computed)) {
    if (!(k in file)) continue;
    const path = [...at, k];
    if (!(isMapping(v) && isMapping(file[k]))) return path.join(".");
    const deeper = firstClash(file[k] as HelmValues, v, path);
    if (deeper) return deeper;
  }
  return undefined;
}
