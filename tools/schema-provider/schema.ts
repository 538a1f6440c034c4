/**
 * A provider schema in the shape of tfplugin6's `Schema.Block`, as JSON.
 * Types use Terraform's JSON type notation: "string", ["list", "string"],
 * ["object", {"a": "number"}], "dynamic".
 */
export type TypeJson = "string" | "number" | "bool" | "dynamic" | [kind: "list" | "set" | "map", element: TypeJson] | [kind: "object", attributes: Record<string, TypeJson>];

export type Nesting = "SINGLE" | "LIST" | "SET" | "MAP" | "GROUP";

export interface NestedType {
  readonly nesting: Nesting;
  readonly attributes: Attribute[];
}

export interface Attribute {
  readonly name: string;
  /** Absent when the attribute has a nested_type. */
  type?: TypeJson;
  nested_type?: NestedType;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  /**
   * Computed and unset in configuration: unknown until apply. (The bindings
   * cannot tell optional from optional+computed, so an optional attribute the
   * user leaves unset is computed too but stays null, as SDKv2 providers mostly do.)
   */
  unknownAtPlan?: boolean;
}

export interface BlockType {
  readonly type_name: string;
  nesting: Nesting;
  readonly block: Block;
  min_items: number;
  max_items: number;
}

export interface Block {
  readonly attributes: Attribute[];
  readonly block_types: BlockType[];
}

export interface ProviderSchema {
  /** Registry source, e.g. registry.terraform.io/hashicorp/aws. */
  readonly source: string;
  /** The provider version the bindings were generated from. */
  readonly version: string;
  /** The bindings package and version it was rebuilt from. */
  readonly bindings: string;
  readonly provider: Block;
  readonly resources: Record<string, Block>;
  readonly data: Record<string, Block>;
}

/** The value type of a nested attribute (what Terraform sees in expressions). */
export function nestedImpliedType(nested: NestedType): TypeJson {
  const attrs: Record<string, TypeJson> = {};
  for (const a of nested.attributes) attrs[a.name] = attributeType(a);
  const object: TypeJson = ["object", attrs];
  switch (nested.nesting) {
    case "LIST":
      return ["list", object];
    case "SET":
      return ["set", object];
    case "MAP":
      return ["map", object];
    default:
      return object;
  }
}

export function attributeType(a: Attribute): TypeJson {
  if (a.nested_type) return nestedImpliedType(a.nested_type);
  return a.type ?? "dynamic";
}

/** A nested attribute's elements, seen as a block (for walking values). */
export function nestedAsBlock(nested: NestedType): Block {
  return { attributes: nested.attributes, block_types: [] };
}
