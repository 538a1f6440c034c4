import type { SynthJson } from "./fixtures";

/** One resource of a synthesized stack: its Terraform type, name and configuration. */
export interface StackResource {
  readonly type: string;
  readonly name: string;
  readonly config: Record<string, any>;
}

/** Every resource of one type, in synthesis order. */
export function resourceList(json: SynthJson, type: string): StackResource[] {
  return Object.entries(json.resource?.[type] ?? {}).map(([name, config]) => ({ type, name, config }));
}

/**
 * The construct id of a resource, read from its Terraform name (`<path ids joined by _>_<HASH>`;
 * construct ids here never hold `_`).
 */
export function constructIdOf(r: StackResource): string {
  const parts = r.name.split("_");
  return parts.length > 1 ? parts[parts.length - 2]! : r.name;
}

/** The resource of `type` with construct id `id`; throws when there is none or several. */
export function byConstructId(json: SynthJson, type: string, id: string): StackResource {
  const found = resourceList(json, type).filter((r) => constructIdOf(r) === id);
  if (found.length !== 1) throw new Error(`expected one ${type} with construct id ${id}, found ${found.length}`);
  return found[0]!;
}

/** The Terraform expression that references an attribute of a resource, e.g. `${aws_vpc.vpc_ABC.id}`. */
export function ref(r: StackResource, attribute = "id"): string {
  return `\${${r.type}.${r.name}.${attribute}}`;
}

/** The resource a `${type.name.attr}` expression points at, within the same stack; undefined for anything else. */
export function resolveRef(json: SynthJson, expression: unknown): StackResource | undefined {
  if (typeof expression !== "string") return undefined;
  const m = /^\$\{([a-z0-9_]+)\.([^.}]+)\.[a-z0-9_]+\}$/.exec(expression);
  if (!m) return undefined;
  const config = json.resource?.[m[1]!]?.[m[2]!];
  return config ? { type: m[1]!, name: m[2]!, config } : undefined;
}

/** The value of a tag of a resource (`tags`), or undefined. */
export function tag(r: StackResource, key: string): string | undefined {
  return r.config.tags?.[key];
}

/** A resource found in one stack of the synthesized app. */
export interface AppResource extends StackResource {
  readonly stack: string;
}

const REMOTE_STATE = /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)\}$/;

/**
 * The resource an expression of `stack` points at: a reference within the
 * stack, or a cdktf cross-stack reference (remote state output of another
 * stack, followed to the resource behind the output). Undefined for literals.
 */
export function resolveAcrossStacks(stacks: ReadonlyMap<string, SynthJson>, stack: string, expression: unknown): AppResource | undefined {
  const json = stacks.get(stack);
  if (!json) return undefined;
  const local = resolveRef(json, expression);
  if (local) return { ...local, stack };
  const m = typeof expression === "string" ? REMOTE_STATE.exec(expression) : null;
  if (!m) return undefined;
  const producer = stacks.get(m[1]!);
  const value = producer?.output?.[m[2]!]?.value;
  return value === undefined ? undefined : resolveAcrossStacks(stacks, m[1]!, value);
}
