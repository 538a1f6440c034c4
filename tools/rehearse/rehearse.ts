import * as fs from "node:fs";
import * as os from "node:os";
import { dependencyOrder, type ManifestStack, readManifest } from "../synth/manifest";
import { allowedWarning } from "./allowed-warnings";
import { helmChartProblems } from "./helm-charts";
import { type CommandResult, type Diagnostic, planCounts, runTerraform } from "./terraform";
import { backendAddress, createWorkspace, type PluginMode, type PreparedStack, prepareStack, RehearsalSetupError, requiredProviderVersions, SchemaCache, type Workspace } from "./workspace";

/** A diagnostic with the construct that made the resource it is about. */
export interface LocatedDiagnostic extends Diagnostic {
  readonly step: Step;
  readonly construct?: string;
  /** Why an allowed warning is accepted; absent when it counts as a failure. */
  readonly allowedBecause?: string;
}

export type Step = "init" | "validate" | "plan" | "apply";
export const STEPS: readonly Step[] = ["init", "validate", "plan", "apply"];

export interface StackResult {
  readonly id: string;
  readonly environment: string;
  /** "applied", "failed at <step>", "waits for <stack>". */
  readonly result: string;
  readonly ok: boolean;
  readonly planned?: { add: number; change: number; destroy: number };
  readonly diagnostics: readonly LocatedDiagnostic[];
  readonly seconds: number;
  /** The prepared copy (present once the stack was set up). */
  readonly prepared?: PreparedStack;
}

export interface RehearsalOptions {
  /** cdktf.out/manifest.json (or another synthesized app's). */
  readonly manifestFile: string;
  /** Only these environments; all in the manifest by default. */
  readonly environments?: readonly string[];
  /** Stacks rehearsed at the same time; the number of cores plus one by default (Terraform waits on its providers). */
  readonly jobs?: number;
  /** The workspace folder; a fresh temporary one by default. */
  readonly workDir?: string;
  /** How Terraform reaches the providers (workspace.ts); a daemon in this process by default. */
  readonly plugins?: PluginMode;
  /** Keep the provider daemon running after the rehearsal (for a drill); the caller then closes the workspace. */
  readonly keepPluginsRunning?: boolean;
  /** Called as each stack finishes. */
  readonly onStack?: (result: StackResult) => void;
}

export interface Rehearsal {
  readonly workspace: Workspace;
  readonly stacks: readonly StackResult[];
  readonly ok: boolean;
  readonly seconds: number;
}

export { RehearsalSetupError };

const COMMANDS: Record<Step, string[]> = {
  init: ["init", "-input=false"],
  validate: ["validate"],
  plan: ["plan", "-input=false", "-out=tfplan"],
  apply: ["apply", "-input=false", "tfplan"],
};

function locate(d: Diagnostic, step: Step, stack: PreparedStack): LocatedDiagnostic {
  const construct = (d.address && stack.constructs.byAddress(d.address)) || (d.line !== undefined ? stack.constructs.byLine(d.line) : undefined);
  const allowedBecause = d.severity === "warning" ? allowedWarning(d) : undefined;
  return { ...d, step, ...(construct ? { construct } : {}), ...(allowedBecause ? { allowedBecause } : {}) };
}

/** init, validate, plan -out, apply: stops at the first step that fails. */
export async function runStack(stack: PreparedStack, environment: string): Promise<StackResult> {
  const started = Date.now();
  const diagnostics: LocatedDiagnostic[] = [];
  let planned: StackResult["planned"];
  for (const step of STEPS) {
    if (step === "plan") {
      // The Helm provider loads charts while planning; the schema-only one does not (helm-charts.ts).
      const charts = helmChartProblems(stack.json, stack.dir);
      if (charts.length > 0) {
        diagnostics.push(...charts.map((d) => locate(d, step, stack)));
        return { id: stack.id, environment, result: `failed at ${step}`, ok: false, planned, diagnostics, seconds: (Date.now() - started) / 1000, prepared: stack };
      }
    }
    const run: CommandResult = await runTerraform(COMMANDS[step], stack.dir, stack.env);
    diagnostics.push(...run.diagnostics.map((d) => locate(d, step, stack)));
    if (step === "plan") planned = planCounts(run.output) ?? undefined;
    const failed = run.exitCode !== 0 || run.diagnostics.some((d) => d.severity === "error");
    if (failed) {
      if (!run.diagnostics.some((d) => d.severity === "error")) {
        // Terraform failed without a framed diagnostic (a crash, a provider that did not start): show its output.
        diagnostics.push({ severity: "error", summary: `${run.command} exited ${run.exitCode}`, text: run.output.trim(), step });
      }
      return { id: stack.id, environment, result: `failed at ${step}`, ok: false, planned, diagnostics, seconds: (Date.now() - started) / 1000, prepared: stack };
    }
  }
  const unallowed = diagnostics.filter((d) => d.severity === "warning" && !d.allowedBecause);
  return {
    id: stack.id,
    environment,
    result: unallowed.length ? `applied, ${unallowed.length} warning${unallowed.length > 1 ? "s" : ""}` : "applied",
    ok: unallowed.length === 0,
    planned,
    diagnostics,
    seconds: (Date.now() - started) / 1000,
    prepared: stack,
  };
}

/** The stacks to rehearse, checked against the folders they name. */
export function selectStacks(manifestFile: string, environments?: readonly string[]): { stacks: ManifestStack[]; jsons: Map<string, any> } {
  const manifest = readManifest(manifestFile);
  const known = [...new Set(manifest.stacks.map((s) => s.environment))].sort();
  const wanted = environments && environments.length ? environments : known;
  const unknown = wanted.filter((e) => !known.includes(e));
  if (unknown.length) throw new RehearsalSetupError(`no environment ${unknown.join(", ")} in ${manifestFile} (it has ${known.join(", ")})`);
  const stacks = manifest.stacks.filter((s) => wanted.includes(s.environment));
  const jsons = new Map<string, any>();
  for (const s of stacks) {
    if (!fs.existsSync(s.stackFile)) throw new RehearsalSetupError(`stack ${s.id} is in ${manifestFile} but ${s.stackFile} is missing: synthesize again (\`npm run synth\`)`);
    jsons.set(s.id, JSON.parse(fs.readFileSync(s.stackFile, "utf8")));
  }
  const missingDeps = stacks.flatMap((s) => s.dependencies.filter((d) => !stacks.some((o) => o.id === d)).map((d) => `${s.id} → ${d}`));
  if (missingDeps.length) throw new RehearsalSetupError(`stacks depend on stacks that are not rehearsed: ${missingDeps.join(", ")}`);
  return { stacks, jsons };
}

/**
 * Every selected stack through Terraform core in dependency order, several
 * at a time: a stack starts once each stack it depends on has been applied;
 * one whose dependency failed is not run and says what it waits for.
 */
export async function rehearse(options: RehearsalOptions): Promise<Rehearsal> {
  const started = Date.now();
  const { stacks, jsons } = selectStacks(options.manifestFile, options.environments);
  const versions = requiredProviderVersions([...jsons.values()]);
  const schemas = new SchemaCache();
  schemas.check(versions);
  const workspace = await createWorkspace({ providerVersions: versions, plugins: options.plugins, ...(options.workDir ? { dir: options.workDir } : {}) });
  try {
    return await rehearseIn(workspace, stacks, jsons, schemas, options, started);
  } finally {
    if (!options.keepPluginsRunning) await workspace.close();
  }
}

async function rehearseIn(workspace: Workspace, stacks: ManifestStack[], jsons: Map<string, any>, schemas: SchemaCache, options: RehearsalOptions, started: number): Promise<Rehearsal> {
  const stateOf = new Map<string, string>();
  for (const s of stacks) {
    const address = backendAddress(jsons.get(s.id)?.terraform?.backend?.s3);
    if (address) stateOf.set(address, `${workspace.dir}/stacks/${s.id}/terraform.tfstate`);
  }
  const order = dependencyOrder(stacks);
  const byId = new Map(stacks.map((s) => [s.id, s]));
  const results = new Map<string, StackResult>();
  const running = new Map<string, Promise<void>>();
  const jobs = Math.max(1, options.jobs ?? os.availableParallelism() + 1);
  const finish = (r: StackResult) => {
    results.set(r.id, r);
    options.onStack?.(r);
  };
  while (results.size < order.length) {
    for (const id of order) {
      if (results.has(id) || running.has(id) || running.size >= jobs) continue;
      const s = byId.get(id)!;
      const blocked = s.dependencies.find((d) => results.has(d) && !results.get(d)!.result.startsWith("applied"));
      if (blocked) {
        finish({ id, environment: s.environment, result: `waits for ${blocked}`, ok: false, diagnostics: [], seconds: 0 });
        continue;
      }
      if (!s.dependencies.every((d) => results.has(d))) continue;
      const prepared = prepareStack(workspace, s, jsons.get(id), stateOf, schemas);
      running.set(
        id,
        runStack(prepared, s.environment).then((r) => {
          running.delete(id);
          finish(r);
        }),
      );
    }
    if (running.size > 0) await Promise.race(running.values());
  }
  const ordered = order.map((id) => results.get(id)!);
  return { workspace, stacks: ordered, ok: ordered.every((r) => r.ok), seconds: (Date.now() - started) / 1000 };
}
