/**
 * Waits until the environment's public zone is delegated, before the edge layer is applied (its
 * ACM certificates validate by DNS through that zone; without the delegation the validation can
 * never finish):
 *
 *   tsx tools/ci/delegation.ts wait <env> [--timeout 30m] [--interval 30s]
 *
 * The zone (name, created or existing, parent) comes from the synthesized network stack
 * (cdktf.out, through the manifest), its name servers from that stack's Terraform outputs
 * (`terraform -chdir=<stack dir> output -json`, run after the network layer is applied; or
 * `--outputs <file>` holding that JSON), the public delegation from DNS (`--resolvers`, default
 * 1.1.1.1 and 8.8.8.8). Prints GitHub annotations (`::notice::`, `::error::`) and exits 0 once the
 * public name servers are the zone's, 1 at the timeout, 2 on bad usage or unreadable inputs.
 * Other options: --manifest <file> (default cdktf.out/manifest.json).
 */
import * as fs from "node:fs";
import { spawnSync } from "node:child_process";
import { Resolver } from "node:dns/promises";
import { readManifest } from "../synth/manifest";
import { DEFAULT_MANIFEST } from "./cli-options";

/** What the network stack says about the zone. */
export interface ZoneSpec {
  readonly zone: string;
  /** `create`: the network layer made it; `existing`: it was looked up. */
  readonly mode: "create" | "existing";
  /** The zone the delegation belongs in: the configured parent, or the name without its first label. */
  readonly parentZone: string;
  /** The network layer writes the NS delegation itself (the parent zone is in the same account). */
  readonly delegatedHere: boolean;
}

/** Reads the zone from a synthesized network stack (`cdk.tf.json`). */
export function zoneSpecOf(stack: any, file = "the network stack"): ZoneSpec {
  const zone = stack?.output?.["zone-name"]?.value;
  if (typeof zone !== "string") throw new Error(`${file}: no "zone-name" output; synthesize with the network layer that owns the zone (issue 12)`);
  const created = Object.values<any>(stack.resource?.aws_route53_zone ?? {}).some((z) => z.name === zone);
  const ns = Object.values<any>(stack.resource?.aws_route53_record ?? {}).find((r) => r.type === "NS" && r.name === zone);
  const parentLookup = ns ? Object.values<any>(stack.data?.aws_route53_zone ?? {}).find((z) => z.name !== zone) : undefined;
  return {
    zone,
    mode: created ? "create" : "existing",
    parentZone: parentLookup?.name ?? zone.split(".").slice(1).join("."),
    delegatedHere: ns !== undefined,
  };
}

/** The zone's name servers from `terraform output -json` of the network stack. */
export function nameServersOf(outputs: any): { nameServers: string[]; zoneId?: string } {
  const value = outputs?.["name-servers"]?.value;
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === "string")) {
    throw new Error('the network stack has no "name-servers" output with values; apply the network layer first');
  }
  const zoneId = outputs?.["zone-id"]?.value;
  return { nameServers: value.map(normalize).sort(), zoneId: typeof zoneId === "string" ? zoneId : undefined };
}

/** Lower case, no trailing dot: how Route 53 and DNS answers compare. */
export function normalize(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, "");
}

/** Looks up the NS records of a name through public DNS; rejects (ENOTFOUND, ENODATA...) when there are none. */
export type NsLookup = (name: string) => Promise<string[]>;

export type DelegationCheck =
  | { readonly status: "delegated" }
  | { readonly status: "elsewhere"; readonly found: readonly string[] }
  | { readonly status: "none"; readonly reason: string };

/** Whether public DNS answers the zone's own name servers for its NS records. */
export async function checkDelegation(zone: string, expected: readonly string[], lookup: NsLookup): Promise<DelegationCheck> {
  let found: string[];
  try {
    found = (await lookup(zone)).map(normalize).sort();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    return { status: "none", reason: code === "ENOTFOUND" ? "the name does not exist in public DNS (NXDOMAIN)" : code === "ENODATA" ? "public DNS has no NS records for it" : `the lookup failed (${code})` };
  }
  const want = [...expected].map(normalize).sort();
  return found.length === want.length && found.every((n, i) => n === want[i]) ? { status: "delegated" } : { status: "elsewhere", found };
}

/** The instruction for the person who can fix it. */
export function instruction(spec: ZoneSpec, expected: readonly string[], zoneId?: string): string {
  const ns = expected.join(", ");
  if (spec.mode === "existing") {
    return `${spec.zone} exists in this account${zoneId ? ` (hosted zone ${zoneId})` : ""} but public DNS does not delegate it to its name servers: set the NS records of ${spec.zone} in the parent zone ${spec.parentZone} to ${ns}; the edge stack waits for it (ACM validates by DNS)`;
  }
  if (spec.delegatedHere) {
    return `The network layer wrote the NS delegation of ${spec.zone} (${ns}) in ${spec.parentZone}, but public DNS does not show it yet: check that ${spec.parentZone} is itself delegated; the edge stack waits for it (ACM validates by DNS)`;
  }
  return `Delegate ${spec.zone} to ${ns} in the parent zone ${spec.parentZone}; the edge stack waits for it (ACM validates by DNS)`;
}

function describe(check: DelegationCheck): string {
  if (check.status === "elsewhere") return `public DNS answers ${check.found.join(", ")}`;
  if (check.status === "none") return check.reason;
  return "delegated";
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface WaitOptions {
  readonly spec: ZoneSpec;
  readonly expected: readonly string[];
  readonly zoneId?: string;
  readonly lookup: NsLookup;
  readonly timeoutMs: number;
  readonly intervalMs: number;
  readonly clock: Clock;
  readonly out: (line: string) => void;
}

/** Polls until delegated (0) or the timeout (1), annotating for GitHub Actions. */
export async function waitForDelegation(o: WaitOptions): Promise<number> {
  const start = o.clock.now();
  let told = false;
  for (;;) {
    const check = await checkDelegation(o.spec.zone, o.expected, o.lookup);
    if (check.status === "delegated") {
      o.out(`::notice::${o.spec.zone} is delegated to ${o.expected.join(", ")}: the edge stack's certificates can validate`);
      return 0;
    }
    const elapsed = o.clock.now() - start;
    if (elapsed >= o.timeoutMs) {
      o.out(`::error::${instruction(o.spec, o.expected, o.zoneId)} (gave up after ${formatDuration(elapsed)}: ${describe(check)})`);
      return 1;
    }
    if (!told) {
      o.out(`::notice::${instruction(o.spec, o.expected, o.zoneId)}`);
      told = true;
    }
    o.out(`waiting for the delegation of ${o.spec.zone}: ${describe(check)} (${formatDuration(elapsed)} of ${formatDuration(o.timeoutMs)})`);
    await o.clock.sleep(Math.min(o.intervalMs, o.timeoutMs - elapsed));
  }
}

/** `90s`, `30m`, `1h` → milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+)(s|m|h)$/.exec(text);
  if (!m || Number(m[1]) === 0) throw new Error(`"${text}" is not a duration such as 90s, 30m or 1h`);
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[m[2] as "s" | "m" | "h"];
}

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : ""}` : `${s}s`;
}

export interface Deps {
  readonly readFile: (file: string) => string;
  /** `terraform output -json` in a stack's working directory. */
  readonly terraformOutputs: (dir: string) => string;
  readonly lookup: (resolvers: readonly string[]) => NsLookup;
  readonly clock: Clock;
}

/** `terraform -chdir=<dir> output -json` (the stack's backend must be initialized). */
export function terraformOutputs(dir: string, env: NodeJS.ProcessEnv = process.env): string {
  const run = spawnSync("terraform", [`-chdir=${dir}`, "output", "-json"], { encoding: "utf8", env });
  if (run.error || run.status !== 0) throw new Error(`terraform -chdir=${dir} output -json failed: ${(run.stderr || run.error?.message || "").trim()}`);
  return run.stdout;
}

const DEFAULT_DEPS: Deps = {
  readFile: (f) => fs.readFileSync(f, "utf8"),
  terraformOutputs: (dir) => terraformOutputs(dir),
  lookup: (resolvers) => {
    const resolver = new Resolver({ timeout: 5000, tries: 2 });
    resolver.setServers([...resolvers]);
    return (name) => resolver.resolveNs(name);
  },
  clock: { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
};

const USAGE = "usage: delegation.ts wait <env> [--timeout 30m] [--interval 30s] [--outputs <file>] [--resolvers 1.1.1.1,8.8.8.8] [--manifest <file>]";

export async function main(argv: readonly string[], io: { out(l: string): void; err(l: string): void }, deps: Deps = DEFAULT_DEPS): Promise<number> {
  const args = [...argv];
  const option = (name: string, fallback?: string): string | undefined => {
    const i = args.indexOf(name);
    if (i < 0) return fallback;
    const value = args[i + 1];
    args.splice(i, 2);
    if (value === undefined || value.startsWith("--")) throw new Error(`${name} needs a value`);
    return value;
  };
  let env: string;
  let timeoutMs: number;
  let intervalMs: number;
  let manifestFile: string;
  let outputsFile: string | undefined;
  let resolvers: string[];
  try {
    timeoutMs = parseDuration(option("--timeout", "30m")!);
    intervalMs = parseDuration(option("--interval", "30s")!);
    manifestFile = option("--manifest", DEFAULT_MANIFEST)!;
    outputsFile = option("--outputs");
    resolvers = option("--resolvers", "1.1.1.1,8.8.8.8")!.split(",").filter(Boolean);
    const [command, e, ...rest] = args;
    if (command !== "wait" || !e || rest.length > 0) {
      io.err(USAGE);
      return 2;
    }
    env = e;
  } catch (e) {
    io.err(`delegation: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  let spec: ZoneSpec;
  let servers: { nameServers: string[]; zoneId?: string };
  try {
    const stack = readManifest(manifestFile).stacks.find((s) => s.id === `${env}-network`);
    if (!stack) throw new Error(`no stack ${env}-network in ${manifestFile}`);
    spec = zoneSpecOf(JSON.parse(deps.readFile(stack.stackFile)), stack.stackFile);
    servers = nameServersOf(JSON.parse(outputsFile ? deps.readFile(outputsFile) : deps.terraformOutputs(stack.workingDirectory)));
  } catch (e) {
    io.out(`::error::delegation: ${(e as Error).message}`);
    return 2;
  }
  return waitForDelegation({ spec, expected: servers.nameServers, zoneId: servers.zoneId, lookup: deps.lookup(resolvers), timeoutMs, intervalMs, clock: deps.clock, out: io.out });
}

if (require.main === module) {
  void main(process.argv.slice(2), { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) }).then((code) => {
    process.exitCode = code;
  });
}
