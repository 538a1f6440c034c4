/**
 * Whether a stack can be planned now or waits for an upstream stack, decided
 * before planning it (plan.yml, and each round of deploy-environment.yml):
 *
 *   tsx tools/ci/waits-for.ts record --stack <id> --known <dir> [--state <file>|-] [--plan <plan.json>] [--failed]
 *   tsx tools/ci/waits-for.ts check --stack <id> --known <dir> [--manifest cdktf.out/manifest.json] [--summary <file>]
 *
 * `record` keeps what a job learnt of a stack in `<dir>/<id>.json`: the output
 * NAMES of its applied state (`terraform state pull`, empty when it was never
 * applied; values are never written) and the outputs its plan in this run
 * creates, updates or deletes (`output_changes` of `terraform show -json`).
 * `check` decides from the stack's synthesized JSON and those records: exit 0
 * and "ready", or exit 10 and "waits for <upstream>: <reason>" (recorded, and
 * written as the plan comment's `waiting` summary with --summary). Other exits
 * are errors.
 *
 * Why: Terraform fails a plan that reads remote state nobody wrote yet
 * ("Unable to find remote state") or an output the upstream's new code adds
 * ("Unsupported attribute"), and a stack planned against outputs its upstream
 * is about to change would apply stale values. Such a stack is planned once the
 * upstream is applied (the deploy workflow's next round).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { readManifest, type ManifestStack } from "../synth/manifest";
import type { StackResult } from "./plan-comment";
import { DEFAULT_MANIFEST, optionValue } from "./cli-options";

/** The exit code of `check` for a waiting stack. */
export const WAITING_EXIT = 10;

/** Outputs a stack reads from one `terraform_remote_state` data source. */
export interface RemoteStateRead {
  readonly dataSource: string;
  /** `<bucket>/<key>` of the state it reads (the upstream's S3 backend). */
  readonly address: string;
  readonly outputs: readonly string[];
}

/** What this run knows of one stack (a `record` file). */
export interface StackKnowledge {
  readonly stack: string;
  /** Output names of its applied state; null: no state yet (never applied). Absent: not read. */
  readonly appliedOutputs?: readonly string[] | null;
  /** Outputs this run's plan of it changes, name → "create" | "update" | "delete". Absent: not planned. */
  readonly plannedOutputChanges?: Readonly<Record<string, OutputChange>>;
  /** Set when it waits itself in this run. */
  readonly waiting?: { readonly for: string; readonly reason: string };
  /** Set when this run could not init, read or plan it (its own row says so). */
  readonly failed?: boolean;
}

export type OutputChange = "create" | "update" | "delete";

export type Readiness = { readonly ready: true } | { readonly ready: false; readonly waitsFor: string; readonly reason: string };

/** A stack as the decision sees it: its id, manifest dependencies and synthesized JSON. */
export interface StackCode {
  readonly id: string;
  readonly dependencies: readonly string[];
  readonly json: any;
}

/** `<bucket>/<key>` of an S3 backend or remote-state config. */
export function stateAddress(config: any): string | undefined {
  return config && typeof config.bucket === "string" && typeof config.key === "string" ? `${config.bucket}/${config.key}` : undefined;
}

/** Every string anywhere in a JSON value. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === "object") for (const v of Object.values(value)) strings(v, out);
  return out;
}

/**
 * The outputs a stack reads from each remote state: cdktf writes a cross-stack
 * reference as `data.terraform_remote_state.<name>.outputs.<output>` inside
 * `${...}` expressions anywhere in the stack.
 */
export function remoteStateReads(json: any): RemoteStateRead[] {
  const sources = Object.entries<any>(json?.data?.terraform_remote_state ?? {});
  if (sources.length === 0) return [];
  const read = new Map<string, Set<string>>(sources.map(([name]) => [name, new Set<string>()]));
  const reference = /data\.terraform_remote_state\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z_][A-Za-z0-9_-]*)/g;
  const { data, ...rest } = json;
  const { terraform_remote_state: _own, ...otherData } = data ?? {};
  for (const s of strings({ rest, otherData })) {
    for (const m of s.matchAll(reference)) read.get(m[1]!)?.add(m[2]!);
  }
  return sources.map(([name, ds]) => {
    const address = stateAddress(ds?.config);
    if (!address) throw new Error(`data.terraform_remote_state.${name} has no S3 bucket/key in its config`);
    return { dataSource: name, address, outputs: [...read.get(name)!].sort() };
  });
}

const list = (names: readonly string[]) => (names.length === 1 ? `output ${names[0]}` : `outputs ${names.join(", ")}`);

/**
 * Ready, or what the stack waits for. Dependencies are looked at in the order
 * given (dependency order): the first reason found is the one reported, so a
 * stack downstream of a waiting one names its nearest waiting upstream. A
 * reference to an output that neither the applied state nor the upstream's
 * code has is not a wait: Terraform's own error says what is wrong.
 */
export function readiness(stack: StackCode, upstreams: ReadonlyArray<{ readonly code: StackCode; readonly known: StackKnowledge | undefined }>): Readiness {
  const reads = remoteStateReads(stack.json);
  for (const dependency of stack.dependencies) {
    const up = upstreams.find((u) => u.code.id === dependency);
    if (!up) continue; // not run by CI (local state: bootstrap)
    const known = up.known;
    if (known?.waiting) return { ready: false, waitsFor: dependency, reason: `${dependency} waits for ${known.waiting.for} (${known.waiting.reason})` };
    if (known?.failed && known.appliedOutputs === undefined) return { ready: false, waitsFor: dependency, reason: `${dependency} could not be read or planned in this run` };
    if (!known || known.appliedOutputs === undefined) throw new Error(`${stack.id}: nothing recorded about its upstream ${dependency}; record it first (waits-for.ts record)`);
    if (known.appliedOutputs === null) return { ready: false, waitsFor: dependency, reason: "not applied yet" };
    const address = stateAddress(up.code.json?.terraform?.backend?.s3);
    const outputs = [...new Set(reads.filter((r) => r.address === address).flatMap((r) => r.outputs))].sort();
    const applied = new Set(known.appliedOutputs);
    const changes = known.plannedOutputChanges ?? {};
    const declared = new Set(Object.keys(up.code.json?.output ?? {}));
    const added = outputs.filter((o) => !applied.has(o) && (declared.has(o) || changes[o] === "create"));
    if (added.length > 0) return { ready: false, waitsFor: dependency, reason: `reads ${list(added)}, which this change adds` };
    const changed = outputs.filter((o) => applied.has(o) && (changes[o] === "update" || changes[o] === "delete"));
    if (changed.length > 0) return { ready: false, waitsFor: dependency, reason: `reads ${list(changed)}, which this change ${changed.every((o) => changes[o] === "delete") ? "removes" : "changes"}` };
  }
  return { ready: true };
}

/** Output names of a state (`terraform state pull`); null for an empty pull (no state yet). */
export function stateOutputs(text: string): string[] | null {
  if (text.trim() === "") return null;
  const state = JSON.parse(text);
  if (typeof state?.version !== "number") throw new Error("not a Terraform state (no version)");
  return Object.keys(state.outputs ?? {}).sort();
}

/** The outputs a JSON plan creates, updates or deletes. */
export function plannedOutputChanges(plan: any): Record<string, OutputChange> {
  const out: Record<string, OutputChange> = {};
  for (const [name, change] of Object.entries<any>(plan?.output_changes ?? {})) {
    const actions: string[] = change?.actions ?? [];
    if (actions.includes("create") && actions.includes("delete")) out[name] = "update";
    else if (actions.includes("create")) out[name] = "create";
    else if (actions.includes("delete")) out[name] = "delete";
    else if (actions.includes("update")) out[name] = "update";
  }
  return out;
}

const knowledgeFile = (dir: string, stack: string) => path.join(dir, `${stack}.json`);

export function readKnowledge(dir: string, stack: string): StackKnowledge | undefined {
  const f = knowledgeFile(dir, stack);
  return fs.existsSync(f) ? (JSON.parse(fs.readFileSync(f, "utf8")) as StackKnowledge) : undefined;
}

function writeKnowledge(dir: string, k: StackKnowledge): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(knowledgeFile(dir, k.stack), `${JSON.stringify(k, null, 2)}\n`);
}


const codeOf = (s: ManifestStack): StackCode => ({ id: s.id, dependencies: s.dependencies, json: JSON.parse(fs.readFileSync(s.stackFile, "utf8")) });

export function main(argv: readonly string[], io: { out(l: string): void; err(l: string): void; stdin(): string }): number {
  const args = [...argv];
  const usage =
    "usage: waits-for.ts record --stack <id> --known <dir> [--state <file>|-] [--plan <plan.json>] [--failed]\n" +
    "       waits-for.ts check --stack <id> --known <dir> [--manifest <manifest.json>] [--summary <file>]";
  const stack = optionValue(args, "--stack");
  const known = optionValue(args, "--known");
  if (!stack || !known) {
    io.err(usage);
    return 2;
  }
  try {
    if (args[0] === "record") {
      const stateFile = optionValue(args, "--state");
      const planFile = optionValue(args, "--plan");
      const before = readKnowledge(known, stack) ?? { stack };
      const next: StackKnowledge = {
        ...before,
        ...(stateFile ? { appliedOutputs: stateOutputs(stateFile === "-" ? io.stdin() : fs.readFileSync(stateFile, "utf8")) } : {}),
        ...(planFile ? { plannedOutputChanges: plannedOutputChanges(JSON.parse(fs.readFileSync(planFile, "utf8"))) } : {}),
        ...(args.includes("--failed") ? { failed: true } : {}),
      };
      writeKnowledge(known, next);
      return 0;
    }
    if (args[0] === "check") {
      const manifest = readManifest(optionValue(args, "--manifest") ?? DEFAULT_MANIFEST);
      const me = manifest.stacks.find((s) => s.id === stack);
      if (!me) throw new Error(`no stack ${stack} in ${path.join(manifest.dir, "manifest.json")}`);
      const upstreams = manifest.stacks.filter((s) => me.dependencies.includes(s.id));
      const decision = readiness(codeOf(me), upstreams.map((u) => ({ code: codeOf(u), known: readKnowledge(known, u.id) })));
      if (decision.ready) {
        io.out("ready");
        return 0;
      }
      writeKnowledge(known, { ...(readKnowledge(known, stack) ?? { stack }), waiting: { for: decision.waitsFor, reason: decision.reason } });
      const summary = optionValue(args, "--summary");
      if (summary) {
        const result: StackResult = { stack, status: "waiting", waitsFor: decision.waitsFor, reason: decision.reason };
        fs.mkdirSync(path.dirname(summary), { recursive: true });
        fs.writeFileSync(summary, `${JSON.stringify(result, null, 2)}\n`);
      }
      io.out(`waits for ${decision.waitsFor}: ${decision.reason}`);
      return WAITING_EXIT;
    }
    io.err(usage);
    return 2;
  } catch (e) {
    io.err(`waits-for: ${(e as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
    stdin: () => fs.readFileSync(0, "utf8"),
  });
}
