import * as fs from "node:fs";
import * as path from "node:path";
import type { Attribute, Block, BlockType, Nesting, ProviderSchema, TypeJson } from "./schema";

/**
 * Rebuilds a provider's schema from its prebuilt cdktf bindings
 * (`@cdktf/provider-<name>`), which are generated from the provider's real
 * schema and keep most of it in their code:
 * - each class's `synthesizeHclAttributes()` lists every argument with its
 *   Terraform name, whether it is a block, its collection kind
 *   (list/set/map/struct/simple) and its element type;
 * - the `.d.ts` Config interfaces say required (no `?`) or optional;
 * - `// x - computed: true, optional: false, required: false` comments and
 *   getters with no config field give the computed-only attributes;
 * - nested `xToHclTerraform` functions and `XOutputReference` classes give
 *   nested blocks and objects, and a list block whose Config field is not an
 *   array is a `max_items = 1` struct.
 * What the bindings do not carry: validators, ConflictsWith, enums, plan
 * modifiers, sensitive/deprecated flags, max_items > 1 (see README.md).
 */
export interface ExtractResult {
  readonly schema: ProviderSchema;
  /** Parts of the bindings that could not be read (typed as dynamic instead). */
  readonly warnings: readonly string[];
}

interface Entry {
  tf: string;
  camel: string | null;
  isBlock: boolean;
  type: string;
  storageClassType: string;
  nestedFn: string | null;
  mapperIsBlock: boolean | null;
  customNull: boolean;
}

interface Flags {
  tf?: string;
  computed: boolean;
  optional: boolean;
  required: boolean;
}

interface Field {
  tf: string;
  cls: string;
  wrapsSet: boolean;
  flags: Flags | null;
}

interface Getter {
  expr: string;
  flags: Flags | null;
}

interface ClassInfo {
  base: string;
  fields: Record<string, Field>;
  getters: Record<string, Getter>;
  storage: Record<string, string>;
  entries: Entry[] | null;
}

interface InterfaceProp {
  optional: boolean;
  isArray: boolean;
}

const ENTRY_RE = /^\s+"?([\w-]+)"?: \{\n\s+value: ([^\n]*),\n\s+isBlock: (true|false),\n\s+type: "(\w+)",\n\s+storageClassType: "(\w+)",\n\s+\}/gm;
const FIELD_RE =
  /(?:\/\/ ([\w-]+) - computed: (true|false), optional: (true|false), required: (true|false)\n\s+)?this\._(\w+) = new ([\w.]+)\(this, "([\w-]+)"(?:, (true|false))?\);/g;
const GETTER_RE = /(?:\/\/ ([\w-]+) - computed: (true|false), optional: (true|false), required: (true|false)\n\s+)?get (\w+)\(\) \{\n\s+return ([^\n]*);\n\s+\}/g;
// Attributes whose absence from configuration always means "the provider decides".
const ALWAYS_UNKNOWN_WHEN_UNSET = new Set(["id", "tags_all", "arn"]);

const ucfirst = (s: string) => s[0].toUpperCase() + s.slice(1);
const lcfirst = (s: string) => s[0].toLowerCase() + s.slice(1);

function walk(dir: string, suffix: string, acc: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(p, suffix, acc);
    else if (entry.name.endsWith(suffix) && !entry.name.startsWith("lazy-index")) acc.push(p);
  }
  return acc;
}

function parseEntries(body: string): Entry[] {
  const out: Entry[] = [];
  for (const m of body.matchAll(ENTRY_RE)) {
    const [, tf, value, isBlock, type, storageClassType] = m;
    const camel = value.match(/(?:struct!?\.|this\._)(\w+)/);
    // Structs split over several files are called through their module (`structs0_1.xToHclTerraform`).
    const local = value.replace(/[a-z]\w*_\d+\./g, "");
    const nested = local.match(/(?<![.\w])([a-z]\w*)ToHclTerraform\b/);
    const mapper = local.match(/listMapperHcl\(\w+, (true|false)\)/);
    out.push({
      tf,
      camel: camel ? camel[1] : null,
      isBlock: isBlock === "true",
      type,
      storageClassType,
      nestedFn: nested ? nested[1] : null,
      mapperIsBlock: mapper ? mapper[1] === "true" : null,
      customNull: /=== undefined \? null :/.test(value),
    });
  }
  return out;
}

const flagsOf = (m: RegExpMatchArray, tf?: string): Flags | null =>
  m[1] ? { ...(tf ? { tf: m[1] } : {}), computed: m[2] === "true", optional: m[3] === "true", required: m[4] === "true" } : null;

function parseClass(source: string, base: string): ClassInfo {
  const body = source.replace(/[a-z]\w*_\d+\./g, "");
  const fields: Record<string, Field> = {};
  for (const m of body.matchAll(FIELD_RE)) fields[m[5]] = { tf: m[7], cls: m[6], wrapsSet: m[8] === "true", flags: flagsOf(m) };
  const getters: Record<string, Getter> = {};
  for (const m of body.matchAll(GETTER_RE)) getters[m[5]] = { expr: m[6], flags: flagsOf(m, m[1]) };
  const storage: Record<string, string> = {};
  for (const m of body.matchAll(/this\._(\w+) = config\.(\w+);/g)) storage[m[1]] = m[2];
  const synth = body.match(/synthesizeHclAttributes\(\) \{([\s\S]*?)\n {4}\}/);
  return { base, fields, getters, storage, entries: synth ? parseEntries(synth[1]) : null };
}

class BindingsReader {
  private readonly functions = new Map<string, Entry[]>();
  private readonly classes = new Map<string, ClassInfo>();
  private readonly interfaces = new Map<string, Record<string, InterfaceProp>>();
  readonly terraformTypes = new Map<string, string>();
  readonly warnings = new Set<string>();
  /** The lib/ sub-folder being built: generated names are unique only within one. */
  private ns = "";

  constructor(private readonly libDir: string) {
    for (const file of walk(libDir, ".js")) {
      const src = fs.readFileSync(file, "utf8");
      const ns = this.namespaceOf(file);
      for (const m of src.matchAll(/^function (\w+)ToHclTerraform\(struct\) \{\n([\s\S]*?)\n\}$/gm)) this.functions.set(`${ns}::${m[1]}`, parseEntries(m[2]));
      for (const m of src.matchAll(/^class (\w+) extends ([\w.]+) \{\n([\s\S]*?)\n\}$/gm)) this.classes.set(`${ns}::${m[1]}`, parseClass(m[3], m[2]));
      for (const m of src.matchAll(/^(\w+)\.tfResourceType = "([\w-]+)";$/gm)) this.terraformTypes.set(`${ns}::${m[1]}`, m[2]);
    }
    for (const file of walk(libDir, ".d.ts")) {
      const src = fs.readFileSync(file, "utf8");
      const ns = this.namespaceOf(file);
      for (const m of src.matchAll(/^export interface (\w+)(?: extends [^{]+)? \{\n([\s\S]*?)\n\}$/gm)) {
        const props: Record<string, InterfaceProp> = {};
        for (const p of m[2].matchAll(/readonly (\w+)(\??): ([^;]+);/g)) props[p[1]] = { optional: p[2] === "?", isArray: /\[\]/.test(p[3]) };
        this.interfaces.set(`${ns}::${m[1]}`, props);
      }
    }
  }

  private namespaceOf(file: string): string {
    const rel = path.relative(this.libDir, file).split(path.sep);
    return rel.length > 1 ? rel[0] : "";
  }

  build(): { provider: Block | null; resources: Record<string, Block>; data: Record<string, Block> } {
    let provider: Block | null = null;
    const resources: Record<string, Block> = {};
    const data: Record<string, Block> = {};
    for (const [key, tfType] of [...this.terraformTypes].sort(([a], [b]) => a.localeCompare(b))) {
      const cls = this.classes.get(key);
      const [ns, className] = key.split("::");
      this.ns = ns;
      if (!cls) {
        this.warnings.add(`no class ${className}`);
        continue;
      }
      const config = this.interfaces.get(`${key}Config`) ?? this.interfaces.get(`${key}ConfigA`);
      if (!config) this.warnings.add(`no config interface for ${className}`);
      if (cls.base === "cdktf.TerraformProvider") provider = this.block(cls.entries, config, cls, tfType, true);
      else if (cls.base === "cdktf.TerraformResource") resources[tfType] = noDynamicInSets(this.block(cls.entries, config, cls, tfType), tfType, this.warnings);
      else if (cls.base === "cdktf.TerraformDataSource") data[tfType] = noDynamicInSets(this.block(cls.entries, config, cls, `data.${tfType}`), `data.${tfType}`, this.warnings);
      else this.warnings.add(`unknown base ${cls.base} of ${className}`);
    }
    return { provider, resources, data };
  }

  private simpleType(type: string, sct: string): TypeJson | null {
    if (sct === "anyMap" || sct === "any") return "dynamic";
    const m = sct.match(/^(string|number|boolean|any)((?:List|Map)*)$/);
    if (!m) return null;
    const primitive = ({ string: "string", number: "number", boolean: "bool", any: "dynamic" } as const)[m[1] as "string"];
    let t: TypeJson = primitive;
    const suffixes = m[2].match(/List|Map/g) ?? [];
    suffixes.forEach((s, i) => {
      const outermost = i === suffixes.length - 1;
      t = s === "Map" ? ["map", t] : [outermost && type === "set" ? "set" : "list", t];
    });
    return t;
  }

  private fieldType(field: { cls: string; wrapsSet: boolean }, depth: number): TypeJson {
    const c = field.cls;
    const cdktfClass = c.match(/^cdktf\.(\w+)$/);
    if (cdktfClass) {
      const known: Record<string, TypeJson> = {
        StringMap: ["map", "string"],
        NumberMap: ["map", "number"],
        BooleanMap: ["map", "bool"],
        AnyMap: "dynamic",
        StringMapList: ["list", ["map", "string"]],
        NumberMapList: ["list", ["map", "number"]],
        BooleanMapList: ["list", ["map", "bool"]],
      };
      if (known[cdktfClass[1]]) return known[cdktfClass[1]];
      this.warnings.add(`unknown cdktf class ${c}`);
      return "dynamic";
    }
    if (c.endsWith("OutputReference")) return this.objectType(c.slice(0, -"OutputReference".length), depth);
    if (c.endsWith("List")) return [field.wrapsSet ? "set" : "list", this.objectType(c.slice(0, -4), depth)];
    if (c.endsWith("Map")) return ["map", this.objectType(c.slice(0, -3), depth)];
    this.warnings.add(`unknown field class ${c}`);
    return "dynamic";
  }

  private getterType(cls: ClassInfo, g: Getter, depth: number): TypeJson | null {
    const e = g.expr;
    let m = e.match(/^this\._(\w+)$/);
    if (m) return cls.fields[m[1]] ? this.fieldType(cls.fields[m[1]], depth) : null;
    m = e.match(/^new ([\w.]+)\(this, ["']([\w-]+)["'](?:, (true|false))?\)$/);
    if (m) return this.fieldType({ cls: m[1], wrapsSet: m[3] === "true" }, depth);
    const kind = /Fn\.tolist\(/.test(e) ? "set" : "list";
    if (/getStringAttribute\(/.test(e)) return "string";
    if (/getNumberAttribute\(/.test(e)) return "number";
    if (/getBooleanAttribute\(/.test(e)) return "bool";
    if (/getListAttribute\(/.test(e)) return [kind, "string"];
    if (/getNumberListAttribute\(/.test(e)) return [kind, "number"];
    if (/getBooleanListAttribute\(/.test(e)) return [kind, "bool"];
    if (/getStringMapAttribute\(/.test(e)) return ["map", "string"];
    if (/getNumberMapAttribute\(/.test(e)) return ["map", "number"];
    if (/getBooleanMapAttribute\(/.test(e)) return ["map", "bool"];
    if (/getAnyMapAttribute\(|interpolationForAttribute\(/.test(e)) return "dynamic";
    return null;
  }

  private getterName(cls: ClassInfo, g: Getter): string | null {
    if (g.flags?.tf) return g.flags.tf;
    let m = g.expr.match(/^this\._(\w+)$/);
    if (m) return cls.fields[m[1]]?.tf ?? null;
    m = g.expr.match(/\(this, ["']([\w-]+)["']/) ?? g.expr.match(/Attribute\(['"]([\w-]+)['"]\)/) ?? g.expr.match(/interpolationForAttribute\(['"]([\w-]+)['"]\)/);
    return m ? m[1] : null;
  }

  /** The object type of struct S, with every attribute (for computed-only values). */
  private objectType(struct: string, depth: number): TypeJson {
    if (depth > 12) {
      this.warnings.add(`nesting deeper than 12 at ${struct}`);
      return "dynamic";
    }
    const attrs: Record<string, TypeJson> = {};
    const fn = this.functions.get(`${this.ns}::${lcfirst(struct)}`);
    const cls = this.classes.get(`${this.ns}::${struct}OutputReference`);
    if (!fn && !cls) {
      this.warnings.add(`no struct ${struct}`);
      return "dynamic";
    }
    for (const entry of fn ?? []) attrs[entry.tf] = this.entryType(entry, depth + 1);
    for (const [camel, g] of Object.entries(cls?.getters ?? {})) {
      if (camel === "internalValue" || camel.endsWith("Input")) continue;
      const tf = this.getterName(cls!, g);
      if (!tf || attrs[tf]) continue;
      const t = this.getterType(cls!, g, depth + 1);
      if (t) attrs[tf] = t;
      else this.warnings.add(`no type for getter ${struct}.${camel}: ${g.expr}`);
    }
    return ["object", attrs];
  }

  private entryType(entry: Entry, depth: number): TypeJson {
    const simple = this.simpleType(entry.type, entry.storageClassType);
    if (simple) return simple;
    if (!entry.nestedFn) {
      this.warnings.add(`no nested function for ${entry.tf} (${entry.storageClassType})`);
      return "dynamic";
    }
    const object = this.objectType(ucfirst(entry.nestedFn), depth);
    if (entry.type === "list" || entry.type === "set") return [entry.type, object];
    if (entry.type === "map") return ["map", object];
    return object;
  }

  private block(entries: Entry[] | null, config: Record<string, InterfaceProp> | undefined, cls: ClassInfo | undefined, where: string, isProvider = false, depth = 0): Block {
    const block: Block = { attributes: [], block_types: [] };
    const seen = new Set<string>();
    const props = config ?? {};
    for (const entry of entries ?? []) {
      if (isProvider && entry.tf === "alias") continue; // a meta-argument, not part of the provider's schema
      seen.add(entry.tf);
      const configName = entry.camel && cls?.storage[entry.camel] ? cls.storage[entry.camel] : entry.camel;
      const prop = configName ? props[configName] : undefined;
      if (entry.camel && !prop) this.warnings.add(`${where}: no config property for ${entry.camel}`);
      const required = prop ? !prop.optional : false;
      const flags = (entry.camel && (cls?.fields[entry.camel]?.flags ?? cls?.getters[entry.camel]?.flags)) || null;
      const simple = this.simpleType(entry.type, entry.storageClassType);
      if (simple) {
        const a: Attribute = { name: entry.tf, type: simple, required, optional: !required };
        if (!required) a.computed = true;
        if (flags?.computed || (!required && ALWAYS_UNKNOWN_WHEN_UNSET.has(entry.tf))) a.unknownAtPlan = true;
        block.attributes.push(a);
        continue;
      }
      if (!entry.nestedFn) {
        this.warnings.add(`${where}.${entry.tf}: no nested function`);
        continue;
      }
      const struct = ucfirst(entry.nestedFn);
      const nestedEntries = this.functions.get(`${this.ns}::${entry.nestedFn}`);
      const nested = this.block(nestedEntries ?? [], this.interfaces.get(`${this.ns}::${struct}`), this.classes.get(`${this.ns}::${struct}OutputReference`), `${where}.${entry.tf}`, false, depth + 1);
      const collection = entry.type === "list" || entry.type === "set";
      const blockLike = collection ? entry.mapperIsBlock !== false : entry.type === "struct" && entry.tf === "timeouts" && !flags?.computed;
      if (blockLike && !flags?.computed) {
        const nesting: Nesting = entry.type === "set" ? "SET" : entry.type === "list" ? "LIST" : "SINGLE";
        const bt: BlockType = { type_name: entry.tf, block: nested, nesting, min_items: 0, max_items: 0 };
        if (entry.type !== "struct") {
          // cdktf maps a max_items = 1 block to a single struct: no list mapper, or a non-array Config field.
          if ((collection && entry.mapperIsBlock === null) || (prop && !prop.isArray)) bt.max_items = 1;
          if (required) bt.min_items = 1;
        }
        block.block_types.push(bt);
      } else if (nestedEntries?.some((x) => x.customNull)) {
        // SDKv2 ConfigModeAttr: a list/set of objects written as an attribute (every key present).
        const a: Attribute = { name: entry.tf, type: this.entryType(entry, depth + 1), required, optional: !required };
        if (flags) Object.assign(a, flagAttributes(flags));
        if (!a.required && !a.computed) a.computed = true;
        block.attributes.push(a);
      } else {
        const nesting: Nesting = entry.type === "list" ? "LIST" : entry.type === "set" ? "SET" : entry.type === "map" ? "MAP" : "SINGLE";
        const a: Attribute = { name: entry.tf, nested_type: { nesting, attributes: blocksAsAttributes(nested) }, required, optional: !required };
        if (flags) {
          Object.assign(a, flagAttributes(flags));
          if (flags.computed && !flags.optional) a.unknownAtPlan = true;
        }
        if (!a.required && !a.computed) a.computed = true;
        block.attributes.push(a);
      }
    }
    if (cls && !isProvider) {
      for (const [camel, g] of Object.entries(cls.getters)) {
        if (camel === "internalValue" || camel === "fqn" || camel.endsWith("Input")) continue;
        const tf = this.getterName(cls, g);
        if (!tf || seen.has(tf)) continue;
        const t = this.getterType(cls, g, depth + 1);
        if (!t) {
          this.warnings.add(`${where}: no type for computed getter ${camel}: ${g.expr}`);
          continue;
        }
        seen.add(tf);
        block.attributes.push({ name: tf, type: t, computed: true, unknownAtPlan: true });
      }
    }
    return block;
  }
}

function flagAttributes(flags: Flags): Pick<Attribute, "required" | "optional" | "computed"> {
  return { required: flags.required, optional: flags.optional || (!flags.required && !flags.computed), computed: flags.computed };
}

/** Inside a nested_type only attributes are allowed: nested blocks become nested attributes. */
function blocksAsAttributes(block: Block): Attribute[] {
  return [
    ...block.attributes,
    ...block.block_types.map((bt): Attribute => ({ name: bt.type_name, nested_type: { nesting: bt.nesting, attributes: blocksAsAttributes(bt.block) }, optional: true, computed: true })),
  ];
}

function hasDynamic(t: TypeJson | undefined): boolean {
  if (t === undefined || t === "dynamic") return true;
  if (!Array.isArray(t)) return false;
  if (t[0] === "object") return Object.values(t[1]).some(hasDynamic);
  return hasDynamic(t[1]);
}

function blockHasDynamic(block: Block): boolean {
  return (
    block.attributes.some((a) => (a.nested_type ? blockHasDynamic({ attributes: a.nested_type.attributes, block_types: [] }) : hasDynamic(a.type))) ||
    block.block_types.some((bt) => blockHasDynamic(bt.block))
  );
}

/**
 * Terraform refuses a set block holding a dynamically-typed attribute. cdktf
 * types recursive structures (wafv2 `statement`) as `any`, so such a set
 * (aws_wafv2_web_acl.rule) is served as a list: order then matters in plans
 * of the rehearsal only.
 */
function noDynamicInSets(block: Block, where: string, warnings: Set<string>): Block {
  for (const bt of block.block_types) {
    noDynamicInSets(bt.block, `${where}.${bt.type_name}`, warnings);
    if (bt.nesting === "SET" && blockHasDynamic(bt.block)) {
      bt.nesting = "LIST";
      warnings.add(`set served as list (dynamic inside): ${where}.${bt.type_name}`);
    }
  }
  for (const a of block.attributes) {
    if (!a.nested_type) continue;
    const inner: Block = { attributes: a.nested_type.attributes, block_types: [] };
    noDynamicInSets(inner, `${where}.${a.name}`, warnings);
    if (a.nested_type.nesting === "SET" && blockHasDynamic(inner)) {
      a.nested_type = { nesting: "LIST", attributes: a.nested_type.attributes };
      warnings.add(`set served as list (dynamic inside): ${where}.${a.name}`);
    }
  }
  return block;
}

/** Reads the bindings package at `packageDir` (a folder with package.json and lib/). */
export function extractSchema(packageDir: string): ExtractResult {
  const pkg = JSON.parse(fs.readFileSync(path.join(packageDir, "package.json"), "utf8"));
  const provider = pkg?.cdktf?.provider;
  if (!provider?.name || !provider?.version) throw new Error(`${packageDir}/package.json has no cdktf.provider name and version: not a prebuilt provider binding`);
  const reader = new BindingsReader(path.join(packageDir, "lib"));
  const built = reader.build();
  if (Object.keys(built.resources).length === 0) throw new Error(`${packageDir}: no resource classes found in lib/`);
  return {
    schema: {
      source: provider.name,
      version: provider.version,
      bindings: `${pkg.name}@${pkg.version}`,
      provider: built.provider ?? { attributes: [], block_types: [] },
      resources: built.resources,
      data: built.data,
    },
    warnings: [...reader.warnings].sort(),
  };
}
