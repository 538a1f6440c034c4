/**
 * What the CI workflows iterate over, read from cdktf.out/manifest.json:
 *
 *   tsx tools/ci/stack-order.ts environments        JSON list of environments (a job matrix)
 *   tsx tools/ci/stack-order.ts stacks <env>        the stacks CI plans and applies, one a line, in dependency order
 *   tsx tools/ci/stack-order.ts region <env>        the region of the environment's state bucket
 *
 * Options: --manifest <file> (default cdktf.out/manifest.json); --include-local
 * to list stacks with local state too. Stacks with a local backend (bootstrap)
 * are left out by default: CI runners keep no state between runs, so those
 * are applied by hand (see the README) and listed on stderr as skipped.
 */
import * as path from "node:path";
import { dependencyOrder, readManifest, stackBackend, type Manifest, type ManifestStack } from "../synth/manifest";
import { takeManifestOption } from "./cli-options";

/** Every environment of the manifest, sorted. */
export function environments(manifest: Manifest): string[] {
  return [...new Set(manifest.stacks.map((s) => s.environment))].sort();
}

export interface EnvironmentPlan {
  /** Stacks CI runs terraform on, in dependency order. */
  readonly stacks: readonly string[];
  /** Stacks left to a person because their state is local. */
  readonly skipped: readonly string[];
}

/** One environment's stacks in dependency order, split into those CI runs and those with local state. */
export function environmentStacks(manifest: Manifest, environment: string, includeLocal = false): EnvironmentPlan {
  const own = manifest.stacks.filter((s) => s.environment === environment);
  if (own.length === 0) {
    throw new Error(`no stack of environment "${environment}" in ${path.join(manifest.dir, "manifest.json")}; environments: ${environments(manifest).join(", ")}`);
  }
  const local = new Set(own.filter((s) => stackBackend(s)?.type === "local").map((s) => s.id));
  const kept: ManifestStack[] = own.filter((s) => includeLocal || !local.has(s.id));
  // A stack CI runs may depend on a local-state one only through remote state
  // it cannot read; the order only needs to hold among the stacks it runs.
  const ordered = dependencyOrder(kept.map((s) => ({ ...s, dependencies: s.dependencies.filter((d) => includeLocal || !local.has(d)) })));
  return { stacks: ordered, skipped: includeLocal ? [] : dependencyOrder(own.filter((s) => local.has(s.id)).map((s) => ({ ...s, dependencies: [] }))) };
}

/** The region of the environment's S3 state backend (the region CI authenticates in). */
export function environmentRegion(manifest: Manifest, environment: string): string {
  for (const s of manifest.stacks.filter((x) => x.environment === environment)) {
    const backend = stackBackend(s);
    if (backend?.type === "s3" && typeof backend.config.region === "string") return backend.config.region;
  }
  throw new Error(`no stack of environment "${environment}" has an S3 backend with a region`);
}

export function main(argv: readonly string[], io: { out(l: string): void; err(l: string): void }): number {
  const args = [...argv];
  const manifestFile = takeManifestOption(args);
  const includeLocal = args.includes("--include-local");
  const [command, environment, ...rest] = args.filter((a) => a !== "--include-local");
  const usage = "usage: stack-order.ts [--manifest <file>] [--include-local] environments | stacks <env> | region <env>";
  try {
    if (command === "environments" && environment === undefined) {
      io.out(JSON.stringify(environments(readManifest(manifestFile))));
      return 0;
    }
    if ((command === "stacks" || command === "region") && environment && rest.length === 0) {
      const manifest = readManifest(manifestFile);
      if (command === "region") {
        io.out(environmentRegion(manifest, environment));
        return 0;
      }
      const plan = environmentStacks(manifest, environment, includeLocal);
      for (const s of plan.skipped) io.err(`skipped ${s}: its state is local, apply it by hand (README: bootstrap)`);
      for (const s of plan.stacks) io.out(s);
      return 0;
    }
    io.err(usage);
    return 2;
  } catch (e) {
    io.err(`stack-order: ${(e as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
  });
}
