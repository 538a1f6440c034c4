import { stringify } from "yaml";

/** Helm values: a YAML mapping. */
export type HelmValues = Record<string, unknown>;

/** A layer of values and where it came from (a file name), for error messages. */
export interface ValuesLayer {
  readonly source: string;
  readonly values: HelmValues;
}

const isMapping = (v: unknown): v is HelmValues => typeof v === "object" && v !== null && !Array.isArray(v);

/** Merges mappings the way Helm merges values files: later layers win, mappings merge key by key, lists and scalars are replaced. */
export function mergeLayers(layers: readonly ValuesLayer[]): HelmValues {
  const merge = (a: HelmValues, b: HelmValues): HelmValues => {
    const out: HelmValues = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = isMapping(out[k]) && isMapping(v) ? merge(out[k] as HelmValues, v) : v;
    return out;
  };
  return layers.reduce<HelmValues>((acc, l) => merge(acc, l.values), {});
}

/**
 * Adds the values computed from other layers and config to the static ones.
 * Each computed value has one source: a static layer that sets a computed
 * key, or one of `reservedKeys` (top-level keys the computed values own as a
 * whole), is refused with the file and key to remove.
 */
export function withComputedValues(layers: readonly ValuesLayer[], computed: HelmValues, reservedKeys: readonly string[] = []): HelmValues {
  for (const layer of layers) {
    for (const key of reservedKeys) {
      if (key in layer.values) throw new Error(`${layer.source} sets ${key}, which the app layer computes; remove it from the file`);
    }
    const clash = firstClash(layer.values, computed, []);
    if (clash) throw new Error(`${layer.source} sets ${clash}, which the app layer computes; remove it from the file`);
  }
  return mergeLayers([...layers, { source: "computed", values: computed }]);
}

/** The first dotted path both set, unless both hold mappings there (which merge). */
function firstClash(file: HelmValues, computed: HelmValues, at: string[]): string | undefined {
  for (const [k, v] of Object.entries(computed)) {
    if (!(k in file)) continue;
    const path = [...at, k];
    if (isMapping(v) && isMapping(file[k])) {
      const deeper = firstClash(file[k] as HelmValues, v, path);
      if (deeper) return deeper;
    } else {
      return path.join(".");
    }
  }
  return undefined;
}

/**
 * The values as one YAML document. Strings are double-quoted so that
 * Terraform references (resolved into the string at plan time: ARNs, host
 * names) always stay one YAML string whatever characters they hold.
 */
export function renderValues(values: HelmValues): string {
  return stringify(values, { defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN", lineWidth: 0 });
}
