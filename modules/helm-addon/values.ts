import { Fn, Token } from "cdktf";
import { stringify } from "yaml";

/** Helm values: a YAML mapping, as parsed from a values file or built in code. */
export type HelmValues = { readonly [key: string]: unknown };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

/**
 * Merges `layers` left to right, the later winning: mappings merge key by key
 * (recursively); lists, scalars and `null` replace what was there, as Helm
 * does when it overlays values files. No input is modified.
 */
export function mergeValues(...layers: readonly (HelmValues | undefined)[]): HelmValues {
  const merge = (base: unknown, over: unknown): unknown => {
    if (!isPlainObject(base) || !isPlainObject(over)) return clone(over);
    const out: Record<string, unknown> = { ...(clone(base) as Record<string, unknown>) };
    for (const [k, v] of Object.entries(over)) out[k] = k in out ? merge(out[k], v) : clone(v);
    return out;
  };
  return layers.reduce<HelmValues>((acc, layer) => (layer ? (merge(acc, layer) as HelmValues) : acc), {});
}

function clone(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(clone);
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)]));
  return v;
}

/**
 * Renders values as one YAML document for `helm_release.values`.
 *
 * Literal text is escaped for Terraform (`${` and `%{` would otherwise start an
 * interpolation). A string holding a cdktf token (a cross-stack reference, a
 * resource attribute) becomes `${jsonencode(...)}`: Terraform writes it as a
 * JSON string, which YAML reads as a double-quoted scalar, so whatever the
 * value turns out to be it stays one string.
 */
export function renderValuesYaml(values: HelmValues): string {
  const tokens: string[] = [];
  const placeholder = (i: number) => `cdktf-token-placeholder-${i}-end`;
  const walk = (v: unknown, at: string): unknown => {
    if (typeof v === "string") {
      if (!Token.isUnresolved(v)) return v;
      tokens.push(Token.asString(Fn.jsonencode(v)));
      return placeholder(tokens.length - 1);
    }
    if (typeof v === "number" && Token.isUnresolved(v)) {
      throw new Error(`Helm values: ${at} is a number token; pass it as a string (Token.asString) so it can be rendered`);
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${at}[${i}]`));
    if (isPlainObject(v)) {
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => {
          if (Token.isUnresolved(k)) throw new Error(`Helm values: a key under ${at || "the root"} is a token; keys must be literal`);
          return [k, walk(x, at ? `${at}.${k}` : k)];
        }),
      );
    }
    if (v === undefined) throw new Error(`Helm values: ${at} is undefined; leave the key out or set null`);
    return v;
  };
  const literal = stringify(walk(values, ""), { lineWidth: 0, minContentWidth: 0 })
    .replace(/\$\{/g, () => "$${")
    .replace(/%\{/g, () => "%%{");
  return tokens.reduce((text, token, i) => text.split(placeholder(i)).join(token), literal);
}
