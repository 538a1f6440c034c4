/**
 * The parts of Terraform's JSON plan representation (`terraform show -json
 * <planfile>`, format_version 1.x) that the guard and the summary read.
 * Unknown properties are ignored, as the format's compatibility promise asks.
 */

/** One element of `change.actions`. */
export type PlanAction = "no-op" | "create" | "read" | "update" | "delete" | "forget" | (string & {});

export interface ChangeRepresentation {
  readonly actions: readonly PlanAction[];
  readonly before?: unknown;
  readonly after?: unknown;
  /** Paths into the object whose change forced the replacement. */
  readonly replace_paths?: ReadonlyArray<ReadonlyArray<string | number>>;
  /** Set (Terraform 1.5+) when the object is being imported. */
  readonly importing?: unknown;
}

export interface ResourceChange {
  readonly address: string;
  readonly previous_address?: string;
  readonly module_address?: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly index?: unknown;
  /** Set when the change applies to a deposed object (left by a failed create-before-destroy). */
  readonly deposed?: string;
  readonly change: ChangeRepresentation;
  /** Why Terraform chose the actions, e.g. `replace_because_cannot_update`. */
  readonly action_reason?: string;
}

export interface TerraformPlan {
  readonly format_version: string;
  readonly terraform_version?: string;
  readonly errored?: boolean;
  readonly resource_changes?: readonly ResourceChange[];
}

/** A file that is not a usable Terraform JSON plan. */
export class PlanFormatError extends Error {
  constructor(source: string, problem: string) {
    super(`${source}: ${problem}`);
    this.name = "PlanFormatError";
  }
}

/**
 * Parses and checks the shape of a JSON plan. Rejects a format major version
 * other than 1 (the format's rule), a state file or a binary plan, and a plan
 * whose resource changes lack addresses or actions.
 */
export function parsePlan(text: string, source: string): TerraformPlan {
  if (text.startsWith("PK")) {
    throw new PlanFormatError(source, "is a binary plan file; convert it with `terraform show -json <planfile> > plan.json`");
  }
  let json: any;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new PlanFormatError(source, `is not JSON (${(e as Error).message}); expected the output of \`terraform show -json <planfile>\``);
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new PlanFormatError(source, "is not a JSON object; expected the output of `terraform show -json <planfile>`");
  }
  const version = json.format_version;
  if (typeof version !== "string" || !/^\d+\.\d+$/.test(version)) {
    throw new PlanFormatError(source, "has no format_version; expected the output of `terraform show -json <planfile>`");
  }
  if (version.split(".")[0] !== "1") {
    throw new PlanFormatError(source, `has format_version ${version}; only 1.x is understood`);
  }
  if (json.resource_changes === undefined && json.values !== undefined) {
    throw new PlanFormatError(source, "is a state file, not a plan; run `terraform show -json <planfile>`");
  }
  const changes = json.resource_changes ?? [];
  if (!Array.isArray(changes)) throw new PlanFormatError(source, "resource_changes is not an array");
  changes.forEach((rc: any, i: number) => {
    const where = `resource_changes[${i}]`;
    if (!rc || typeof rc.address !== "string" || typeof rc.type !== "string") {
      throw new PlanFormatError(source, `${where} has no address or type`);
    }
    if (!rc.change || !Array.isArray(rc.change.actions) || rc.change.actions.some((a: unknown) => typeof a !== "string")) {
      throw new PlanFormatError(source, `${where} (${rc.address}) has no change.actions list`);
    }
  });
  return json as TerraformPlan;
}

/** What a change does, with both replacement orders folded into "replace". */
export type ChangeKind = "create" | "update" | "delete" | "replace" | "no-op" | "read" | "forget";

/**
 * Classifies `change.actions`. Any combination holding "delete" that is not
 * one of the two replacements counts as a delete: the format documents that
 * scanning for "delete" finds every destroying action, including future ones.
 */
export function changeKind(actions: readonly PlanAction[]): ChangeKind {
  const key = actions.join(",");
  // create,forget (Terraform's CreateThenForget): a replacement whose old object is left in AWS,
  // unmanaged, while a new, empty one takes its place.
  if (key === "delete,create" || key === "create,delete" || key === "create,forget") return "replace";
  if (actions.includes("delete")) return "delete";
  if (actions.includes("create")) return "create";
  if (actions.includes("update")) return "update";
  if (actions.includes("read")) return "read";
  if (actions.includes("forget")) return "forget";
  return "no-op";
}

/** The order of a replacement, as Terraform prints it. */
export function replaceOrder(actions: readonly PlanAction[]): "delete-before-create" | "create-before-destroy" | "create-then-forget" | undefined {
  const key = actions.join(",");
  if (key === "delete,create") return "delete-before-create";
  if (key === "create,delete") return "create-before-destroy";
  if (key === "create,forget") return "create-then-forget";
  return undefined;
}

/** `replace_paths` as readable attribute paths: `[["tags","Name"],["rule",0]]` -> `tags.Name`, `rule[0]`. */
export function formatPaths(paths: ChangeRepresentation["replace_paths"]): string[] {
  return (paths ?? []).map((p) => p.map((step, i) => (typeof step === "number" ? `[${step}]` : i === 0 ? step : `.${step}`)).join(""));
}
