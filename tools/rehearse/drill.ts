import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { runTerraform } from "./terraform";
import type { PreparedStack } from "./workspace";

/**
 * The data-loss drill: on a stack the rehearsal has applied, plan the code
 * changes that lose data (a stateful resource removed; one renamed without a
 * `moved` block) with Terraform itself, and feed `terraform show -json` of
 * each plan to `npm run plan-guard`, which must refuse it naming each address,
 * and pass it with the override. A rename with a `moved` block must pass
 * without the override.
 */
export interface DrillCase {
  readonly name: string;
  /** The addresses (`type.name`) the guard must name. */
  readonly expected: readonly string[];
  /** Whether the guard must refuse the plan without the override. */
  readonly refused: boolean;
  readonly json: any;
}

export interface DrillResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  /** The plan in Terraform's JSON format, for shape checks. */
  readonly planJson?: any;
}

const ROOT = path.resolve(__dirname, "..", "..");

const referencePattern = (address: string) => new RegExp(`(?<![\\w.-])${address.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\w-])`);

/**
 * Removes resources and, transitively, every resource, data source, output and
 * local that refers to one: what deleting a construct does to the synthesized JSON.
 */
export function removeResources(json: any, addresses: readonly string[]): any {
  const copy = structuredClone(json);
  const queue = [...addresses];
  const removed = new Set<string>();
  while (queue.length) {
    const address = queue.shift()!;
    if (removed.has(address)) continue;
    removed.add(address);
    const [kind, type, name] = address.startsWith("data.") ? ["data", ...address.slice(5).split(".")] : address.startsWith("output.") ? ["output", address.slice(7)] : ["resource", ...address.split(".")];
    if (kind === "output") delete copy.output?.[type];
    else delete copy[kind]?.[type]?.[name];
    const pattern = referencePattern(address.startsWith("output.") ? "\u0000" : address);
    const refers = (v: unknown) => pattern.test(JSON.stringify(v));
    for (const k of ["resource", "data"] as const) {
      for (const [t, blocks] of Object.entries<any>(copy[k] ?? {})) {
        for (const [n, b] of Object.entries<any>(blocks)) if (refers(b)) queue.push(k === "data" ? `data.${t}.${n}` : `${t}.${n}`);
      }
    }
    for (const [n, o] of Object.entries<any>(copy.output ?? {})) if (refers(o)) queue.push(`output.${n}`);
    for (const [n, l] of Object.entries<any>(copy.locals ?? {})) {
      if (refers(l)) {
        delete copy.locals[n];
        queue.push(`local.${n}`);
      }
    }
  }
  for (const k of ["resource", "data"]) for (const [t, blocks] of Object.entries<any>(copy[k] ?? {})) if (Object.keys(blocks).length === 0) delete copy[k][t];
  return copy;
}

/** Renames `type.name` to `type.<newName>` and every reference to it; with `moved`, adds the moved block. */
export function renameResource(json: any, address: string, newName: string, withMovedBlock: boolean): any {
  const [type, name] = address.split(".");
  const text = JSON.stringify(json).split(`${type}.${name}`).join(`${type}.${newName}`);
  const copy = JSON.parse(text);
  copy.resource[type][newName] = copy.resource[type][name];
  delete copy.resource[type][name];
  if (withMovedBlock) copy.moved = [...(copy.moved ?? []), { from: address, to: `${type}.${newName}` }];
  return copy;
}

const first = (json: any, type: string) => {
  const name = Object.keys(json.resource?.[type] ?? {}).sort()[0];
  return name ? `${type}.${name}` : undefined;
};

/** The drill's cases for a stack that holds a database, a bucket and a key (the data layer). */
export function drillCases(json: any): DrillCase[] {
  const db = first(json, "aws_db_instance");
  const bucket = first(json, "aws_s3_bucket");
  const key = first(json, "aws_kms_key");
  const missing = [["aws_db_instance", db], ["aws_s3_bucket", bucket], ["aws_kms_key", key]].filter(([, a]) => !a).map(([t]) => t);
  if (missing.length) throw new Error(`the data-loss drill needs a stack with ${missing.join(", ")}`);
  return [
    { name: "database, bucket and key removed", expected: [db!, bucket!, key!], refused: true, json: removeResources(json, [db!, bucket!, key!]) },
    { name: "bucket renamed without a moved block", expected: [bucket!], refused: true, json: renameResource(json, bucket!, "renamed_in_drill", false) },
    { name: "bucket renamed with a moved block", expected: [], refused: false, json: renameResource(json, bucket!, "renamed_in_drill", true) },
  ];
}

function planGuard(planFile: string, override: boolean): { status: number; output: string } {
  const env = { ...process.env };
  delete env.UPSKILL_ALLOW_DATA_LOSS;
  if (override) env.UPSKILL_ALLOW_DATA_LOSS = "true";
  const run = spawnSync("npm", ["run", "--silent", "plan-guard", "--", planFile], { cwd: ROOT, env, encoding: "utf8" });
  return { status: run.status ?? 2, output: `${run.stdout}${run.stderr}` };
}

/** What Terraform planned for other code in an applied stack's folder: the `show -json` plan, also written to `<name>.json`. */
export type PlanOfCode = { readonly ok: true; readonly planJson: any; readonly jsonFile: string } | { readonly ok: false; readonly detail: string };

/**
 * Plans `json` in place of the applied stack's own code (against its state) and puts the
 * stack's JSON back afterwards: the plan file `<name>.tfplan` and its JSON stay in the folder.
 */
export async function planOfCode(stack: PreparedStack, json: any, name: string): Promise<PlanOfCode> {
  const file = path.join(stack.dir, "cdk.tf.json");
  const original = fs.readFileSync(file, "utf8");
  try {
    fs.writeFileSync(file, JSON.stringify(json, null, 2));
    const plan = await runTerraform(["plan", "-input=false", `-out=${name}.tfplan`], stack.dir, stack.env);
    if (plan.exitCode !== 0) return { ok: false, detail: `terraform plan failed:\n${plan.diagnostics.map((d) => d.text).join("\n") || plan.output}` };
    const show = await runTerraform(["show", "-json", `${name}.tfplan`], stack.dir, stack.env);
    const jsonFile = path.join(stack.dir, `${name}.json`);
    fs.writeFileSync(jsonFile, show.output);
    return { ok: true, planJson: JSON.parse(show.output), jsonFile };
  } finally {
    fs.writeFileSync(file, original);
  }
}

/** Runs each case in the applied stack's folder; the stack's own JSON is back afterwards. */
export async function runDrill(stack: PreparedStack, cases: readonly DrillCase[] = drillCases(stack.json)): Promise<DrillResult[]> {
  const results: DrillResult[] = [];
  for (const [i, c] of cases.entries()) {
    const plan = await planOfCode(stack, c.json, `drill-${i}`);
    if (!plan.ok) {
      results.push({ name: c.name, ok: false, detail: plan.detail });
      continue;
    }
    const { planJson, jsonFile } = plan;
    const refused = planGuard(jsonFile, false);
    const allowed = planGuard(jsonFile, true);
    const problems: string[] = [];
    if (c.refused) {
      if (refused.status !== 1) problems.push(`plan-guard exited ${refused.status} without the override, expected 1 (refused)`);
      for (const a of c.expected) if (!refused.output.includes(a)) problems.push(`plan-guard did not name ${a}`);
    } else if (refused.status !== 0) problems.push(`plan-guard exited ${refused.status}, expected 0:\n${refused.output}`);
    if (allowed.status !== 0) problems.push(`plan-guard exited ${allowed.status} with UPSKILL_ALLOW_DATA_LOSS=true, expected 0`);
    const verdict = c.refused ? `refused (exit 1), naming ${c.expected.join(", ")}; passes with the override` : "passes without the override";
    results.push({ name: c.name, ok: problems.length === 0, detail: problems.length ? problems.join("; ") : verdict, planJson });
  }
  return results;
}
