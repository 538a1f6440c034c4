import { decode, encode, ExtData } from "@msgpack/msgpack";
import { createHash } from "node:crypto";
import { type FakeContext, fakeString } from "./fakes";
import { attributeType, type Block, type Nesting, nestedAsBlock, type TypeJson } from "./schema";

/**
 * Values on the wire are msgpack `DynamicValue`s (docs/plugin-protocol/
 * object-wire-format.md): objects are maps, unknown is extension type 0,
 * a dynamically-typed value is a [type JSON, value] pair.
 */
export type Value = null | string | number | bigint | boolean | Value[] | { [key: string]: Value } | ExtData | Uint8Array;
export type ObjectValue = { [key: string]: Value };

export const UNKNOWN = new ExtData(0, new Uint8Array([0]));

export const isUnknown = (v: unknown): v is ExtData => v instanceof ExtData && v.type === 0;

export function decodeValue(dv: { msgpack?: Buffer | Uint8Array; json?: Buffer | Uint8Array } | null | undefined): Value {
  if (dv?.msgpack && dv.msgpack.length > 0) return decode(dv.msgpack, { useBigInt64: true }) as Value;
  if (dv?.json && dv.json.length > 0) return JSON.parse(Buffer.from(dv.json).toString("utf8")) as Value;
  return null;
}

export function encodeValue(v: Value): { msgpack: Buffer } {
  return { msgpack: Buffer.from(encode(v, { useBigInt64: true, ignoreUndefined: false })) };
}

const isObject = (v: Value): v is ObjectValue => v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof ExtData) && !(v instanceof Uint8Array);

/** Applies `fn` to each element of a nested block or nested attribute value. */
function eachElement(v: Value, nesting: Nesting, fn: (element: Value, key: string) => Value): Value {
  if (v === null || isUnknown(v)) return v;
  if (nesting === "SINGLE" || nesting === "GROUP") return fn(v, "");
  if (Array.isArray(v)) return v.map((e, i) => fn(e, String(i)));
  if (isObject(v)) {
    for (const k of Object.keys(v)) v[k] = fn(v[k], k);
  }
  return v;
}

/**
 * Plan: the computed attributes the configuration leaves null become unknown,
 * as a real provider plans them ("known after apply").
 */
export function markUnknown(value: Value, block: Block): Value {
  if (!isObject(value)) return value;
  for (const a of block.attributes) {
    if (!(a.name in value)) continue;
    if (value[a.name] === null && a.unknownAtPlan) {
      value[a.name] = UNKNOWN;
      continue;
    }
    const nested = a.nested_type;
    if (nested && value[a.name] !== null) value[a.name] = eachElement(value[a.name], nested.nesting, (e) => markUnknown(e, nestedAsBlock(nested)));
  }
  for (const bt of block.block_types) {
    if (value[bt.type_name] !== undefined) value[bt.type_name] = eachElement(value[bt.type_name], bt.nesting, (e) => markUnknown(e, bt.block));
  }
  return value;
}

/** A known value of type `type` for an unknown at `path`. */
export function fakeValue(type: TypeJson, name: string, path: string, ctx: FakeContext): Value {
  if (type === "string") return fakeString(ctx, name, path);
  if (type === "number") return 1;
  if (type === "bool") return false;
  if (type === "dynamic") return [new Uint8Array(Buffer.from('"string"')), fakeString(ctx, name, path)];
  const [kind, inner] = type;
  if (kind === "list" || kind === "set") return [fakeValue(inner, name, `${path}[0]`, ctx)];
  if (kind === "map") return {};
  const o: ObjectValue = {};
  for (const [an, at] of Object.entries(inner)) o[an] = fakeValue(at, an, `${path}.${an}`, ctx);
  return o;
}

function fillTyped(v: Value, type: TypeJson, name: string, path: string, ctx: FakeContext): Value {
  if (isUnknown(v)) return fakeValue(type, name, path, ctx);
  if (v === null || !Array.isArray(type)) return v;
  const [kind, inner] = type;
  if ((kind === "list" || kind === "set") && Array.isArray(v)) return v.map((e, i) => fillTyped(e, inner, name, `${path}[${i}]`, ctx));
  if (kind === "map" && isObject(v)) {
    for (const k of Object.keys(v)) v[k] = fillTyped(v[k], inner, name, `${path}.${k}`, ctx);
    return v;
  }
  if (kind === "object" && isObject(v)) {
    for (const [an, at] of Object.entries(inner)) if (an in v) v[an] = fillTyped(v[an], at, an, `${path}.${an}`, ctx);
  }
  return v;
}

/**
 * Apply and data-source reads: every unknown gets a deterministic fake value;
 * with `fillNullComputed` (data sources) so does every computed-only null.
 */
export function fillUnknowns(value: Value, block: Block, ctx: FakeContext, fillNullComputed: boolean, path = ""): Value {
  const obj: Value = isUnknown(value) ? {} : value;
  if (!isObject(obj)) return obj;
  for (const a of block.attributes) {
    const type = attributeType(a);
    const at = path ? `${path}.${a.name}` : a.name;
    const v = obj[a.name] ?? null;
    if (isUnknown(v) || (v === null && fillNullComputed && a.unknownAtPlan)) {
      obj[a.name] = fakeValue(type, a.name, at, ctx);
      continue;
    }
    const nested = a.nested_type;
    if (nested && v !== null) obj[a.name] = eachElement(v, nested.nesting, (e, k) => fillUnknowns(e, nestedAsBlock(nested), ctx, fillNullComputed, `${at}.${k}`));
    else obj[a.name] = fillTyped(v, type, a.name, at, ctx);
  }
  for (const bt of block.block_types) {
    const v = obj[bt.type_name];
    if (v !== undefined && v !== null) obj[bt.type_name] = eachElement(v, bt.nesting, (e, k) => fillUnknowns(e, bt.block, ctx, fillNullComputed, `${path}${bt.type_name}.${k}`));
  }
  return obj;
}

/** A stable identity for an object: its known configuration, unknowns left out. */
export function seedOf(value: Value): string {
  const plain = JSON.stringify(value, (_, v) => (v instanceof ExtData ? null : typeof v === "bigint" ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString("base64") : v));
  return createHash("sha256").update(`seed\0${plain ?? ""}\0`).digest("hex").slice(0, 16);
}

export function objectValue(v: Value): ObjectValue | null {
  return isObject(v) ? v : null;
}
