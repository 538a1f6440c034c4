/**
 * How the deploy workflow splits an environment into phases and rounds, and
 * where each phase runs:
 *
 *   tsx tools/ci/rounds.ts routes                    JSON {env: {phase: runs-on}} for every environment
 *   tsx tools/ci/rounds.ts stacks <env> <phase>      the phase's stacks, one a line, in dependency order
 *   tsx tools/ci/rounds.ts upstreams <env> <phase>   stacks of earlier phases the phase reads, in dependency order
 *   tsx tools/ci/rounds.ts backend <env>             JSON {bucket, region, kmsKeyId} of the environment's state
 *
 * Options: --manifest <file> (default cdktf.out/manifest.json).
 *
 * Phases by the runner a stack needs: `hosted` stacks (AWS APIs only) run on
 * GitHub-hosted runners; `cluster-api` stacks (a kubernetes or helm provider:
 * they talk to the cluster's API while planning) run where the API is
 * reachable, the in-VPC runner that exists only once the cluster is applied.
 * So the hosted phase goes first, and no hosted stack may depend on a
 * cluster-api one (checked). Each phase runs rounds (plan, approve, apply)
 * until nothing waits (tools/ci/waits-for.ts); a phase needs at least as many
 * rounds as its dependency graph is deep (a new environment applies one level
 * per round).
 */
import { readManifest, stackBackend, type Manifest } from "../synth/manifest";
import * as fs from "node:fs";
import { environments, environmentStacks } from "./stack-order";
import { takeManifestOption } from "./cli-options";
import { GITHUB_HOSTED_LABEL, stackNeedsClusterApi } from "../../modules/ci-runner/runs-on";

export type RunnerKind = "hosted" | "cluster-api";
/** In the order the deploy workflow runs them. */
export const PHASES: readonly RunnerKind[] = ["hosted", "cluster-api"];

/**
 * Where a phase's jobs run, as the round workflow turns it into `runs-on`:
 * `{ label }` a runner label (GitHub-hosted), or `{ project }` the environment's
 * CodeBuild runner project, whose label the job builds itself as
 * `codebuild-<project>-${{ github.run_id }}-${{ github.run_attempt }}` (GitHub
 * evaluates no `${{ }}` inside an input, and the attempt must be the job's own:
 * a re-run gets a new one).
 */
export type RunsOn = { readonly label: string } | { readonly project: string };

/** GitHub-hosted runners: the AWS APIs are public. */
export const GITHUB_HOSTED: RunsOn = { label: GITHUB_HOSTED_LABEL };

/** A stack routed to a runner. */
export interface StackRoute {
  readonly id: string;
  readonly runner: RunnerKind;
}

/** `cluster-api` for a stack with a kubernetes or helm provider, else `hosted`. */
export function runnerKind(json: any): RunnerKind {
  return stackNeedsClusterApi(json ?? {}) ? "cluster-api" : "hosted";
}

/**
 * The runner of a job that plans or applies these stacks of an environment:
 * GitHub-hosted unless a stack needs the cluster's API and the environment
 * builds a CodeBuild runner in its VPC (the `aws_codebuild_project` of
 * modules/ci-runner in one of its stacks, `runnerProject`); an environment on
 * GitHub-hosted runners has a public endpoint open to them (config rule ciReachesCluster).
 */
export function runsOn(stacks: readonly StackRoute[], runnerProject: string | undefined): RunsOn {
  return stacks.some((s) => s.runner === "cluster-api") && runnerProject !== undefined ? { project: runnerProject } : GITHUB_HOSTED;
}

/** The name of the environment's CodeBuild runner project (modules/ci-runner), read from its synthesized stacks; undefined without one. */
export function runnerProject(manifest: Manifest, environment: string): string | undefined {
  const names = manifest.stacks
    .filter((s) => s.environment === environment)
    .flatMap((s) => Object.values<any>(JSON.parse(fs.readFileSync(s.stackFile, "utf8")).resource?.aws_codebuild_project ?? {}))
    .map((p) => p.name)
    .filter((n): n is string => typeof n === "string");
  if (names.length > 1) throw new Error(`environment "${environment}" has ${names.length} CodeBuild projects (${names.join(", ")}); the runner is one`);
  if (names.length === 1 && !/^[A-Za-z0-9][A-Za-z0-9_-]{1,254}$/.test(names[0]!)) throw new Error(`the runner project name of "${environment}" must be a literal CodeBuild project name, got ${names[0]}`);
  return names[0];
}

/** The stacks CI runs in an environment, with their runner kinds, in dependency order. */
export function environmentRoutes(manifest: Manifest, environment: string): StackRoute[] {
  const byId = new Map(manifest.stacks.map((s) => [s.id, s]));
  return environmentStacks(manifest, environment).stacks.map((id) => ({ id, runner: runnerKind(JSON.parse(fs.readFileSync(byId.get(id)!.stackFile, "utf8"))) }));
}

/** Throws when a stack of an earlier phase depends on one of a later phase (`routes`: the environment's `environmentRoutes`, when the caller has read them already). */
export function checkPhases(manifest: Manifest, environment: string, routes: readonly StackRoute[] = environmentRoutes(manifest, environment)): void {
  const runnerOf = new Map(routes.map((r) => [r.id, r.runner]));
  for (const s of manifest.stacks.filter((x) => runnerOf.has(x.id))) {
    for (const d of s.dependencies.filter((d) => runnerOf.has(d))) {
      if (PHASES.indexOf(runnerOf.get(d)!) > PHASES.indexOf(runnerOf.get(s.id)!)) {
        throw new Error(`${s.id} (${runnerOf.get(s.id)}) depends on ${d} (${runnerOf.get(d)}): a ${runnerOf.get(s.id)} stack runs before the ${runnerOf.get(d)} phase, so it cannot read it`);
      }
    }
  }
}

/** The phase's stacks in dependency order. */
export function phaseStacks(manifest: Manifest, environment: string, phase: RunnerKind): string[] {
  const routes = environmentRoutes(manifest, environment);
  checkPhases(manifest, environment, routes);
  return routes.filter((r) => r.runner === phase).map((r) => r.id);
}

/** Stacks outside the phase that its stacks read, directly or through each other, in dependency order. */
export function phaseUpstreams(manifest: Manifest, environment: string, phase: RunnerKind): string[] {
  const inPhase = new Set(phaseStacks(manifest, environment, phase));
  const deps = new Map(manifest.stacks.map((s) => [s.id, s.dependencies]));
  const needed = new Set<string>();
  const visit = (id: string) => {
    for (const d of deps.get(id) ?? []) {
      if (!needed.has(d)) {
        needed.add(d);
        visit(d);
      }
    }
  };
  for (const id of inPhase) visit(id);
  return environmentStacks(manifest, environment).stacks.filter((id) => needed.has(id) && !inPhase.has(id));
}

/** Levels of the phase's dependency graph: the rounds a new environment needs to apply it. */
export function phaseDepth(manifest: Manifest, environment: string, phase: RunnerKind): number {
  const inPhase = new Set(phaseStacks(manifest, environment, phase));
  const deps = new Map(manifest.stacks.map((s) => [s.id, s.dependencies]));
  const depth = new Map<string, number>();
  const of = (id: string): number => {
    if (!depth.has(id)) depth.set(id, 1 + Math.max(0, ...(deps.get(id) ?? []).filter((d) => inPhase.has(d)).map(of)));
    return depth.get(id)!;
  };
  return Math.max(0, ...[...inPhase].map(of));
}

/** For each environment, each phase's `runs-on`. */
export function routes(manifest: Manifest): Record<string, Record<RunnerKind, RunsOn>> {
  const out: Record<string, Record<RunnerKind, RunsOn>> = {};
  for (const env of environments(manifest)) {
    const all = environmentRoutes(manifest, env);
    checkPhases(manifest, env, all);
    const project = runnerProject(manifest, env);
    out[env] = Object.fromEntries(PHASES.map((p) => [p, runsOn(all.filter((r) => r.runner === p), project)])) as Record<RunnerKind, RunsOn>;
  }
  return out;
}

/** The environment's S3 state backend: bucket, region and the key its objects are written with. */
export function stateBackend(manifest: Manifest, environment: string): { bucket: string; region: string; kmsKeyId: string } {
  for (const s of manifest.stacks.filter((x) => x.environment === environment)) {
    const b = stackBackend(s);
    if (b?.type === "s3" && typeof b.config.bucket === "string" && typeof b.config.region === "string" && typeof b.config.kms_key_id === "string") {
      return { bucket: b.config.bucket, region: b.config.region, kmsKeyId: b.config.kms_key_id };
    }
  }
  throw new Error(`no stack of environment "${environment}" has an S3 backend with bucket, region and kms_key_id`);
}

export function main(argv: readonly string[], io: { out(l: string): void; err(l: string): void }): number {
  const args = [...argv];
  const manifestFile = takeManifestOption(args);
  const [command, environment, phase, ...rest] = args;
  const usage = "usage: rounds.ts [--manifest <file>] routes | stacks <env> <phase> | upstreams <env> <phase> | backend <env>";
  try {
    if (rest.length > 0) throw new Error(usage);
    if (command === "routes" && !environment) {
      io.out(JSON.stringify(routes(readManifest(manifestFile))));
      return 0;
    }
    if (command === "backend" && environment && !phase) {
      io.out(JSON.stringify(stateBackend(readManifest(manifestFile), environment)));
      return 0;
    }
    if ((command === "stacks" || command === "upstreams") && environment && phase) {
      if (!(PHASES as readonly string[]).includes(phase)) throw new Error(`unknown phase "${phase}"; phases: ${PHASES.join(", ")}`);
      const manifest = readManifest(manifestFile);
      const ids = command === "stacks" ? phaseStacks(manifest, environment, phase as RunnerKind) : phaseUpstreams(manifest, environment, phase as RunnerKind);
      for (const id of ids) io.out(id);
      return 0;
    }
    io.err(usage);
    return 2;
  } catch (e) {
    io.err(`rounds: ${(e as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
  });
}
