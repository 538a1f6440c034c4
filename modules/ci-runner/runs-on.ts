/**
 * Pure helpers the workflows' `runs-on` and the CI tools rely on: no cdktf, no provider code,
 * so tools/ci can import them. The CodeBuild project and its webhook are `CiRunner` (ci-runner.ts).
 */

/** What of an environment's config decides where its CI runs (a structural slice of EnvironmentConfig). */
export interface RunnerEnvironment {
  /** `<project>-<env>`. */
  readonly names: { readonly prefix: string };
  readonly cicd: { readonly runner: { readonly type: "codebuild" | "github-hosted" } };
}

/** The label of GitHub-hosted runners the workflows use where no VPC runner is needed. */
export const GITHUB_HOSTED_LABEL = "ubuntu-latest";

/** The CodeBuild runner project of an environment: `<prefix>-runner`. */
export function runnerProjectName(prefix: string): string {
  return `${prefix}-runner`;
}

/** The CodeConnections connection to GitHub the bootstrap layer creates: `<prefix>-gh` (CodeConnections allows 32 characters). */
export function githubConnectionName(prefix: string): string {
  return `${prefix}-gh`;
}

/**
 * The `runs-on` value of a job of this environment that needs the cluster's API.
 * CodeBuild starts one build per queued job whose label is
 * `codebuild-<project>-${{ github.run_id }}-${{ github.run_attempt }}` (the run id and attempt
 * make the label unique, so each job gets its own ephemeral runner and no other job takes it);
 * GitHub-hosted: `ubuntu-latest`.
 */
export function runsOnLabel(env: RunnerEnvironment, run?: WorkflowRun): string {
  if (env.cicd.runner.type === "github-hosted") return GITHUB_HOSTED_LABEL;
  const id = run ? checked("run id", run.id) : "${{ github.run_id }}";
  const attempt = run ? checked("run attempt", run.attempt) : "${{ github.run_attempt }}";
  return `codebuild-${runnerProjectName(env.names.prefix)}-${id}-${attempt}`;
}

/**
 * The run a label is for. GitHub does not evaluate `${{ }}` inside a value that comes from a job
 * output, so a tool computing `runs-on` for a later job resolves it itself from the
 * `GITHUB_RUN_ID` and `GITHUB_RUN_ATTEMPT` variables of its own job (same run, same attempt).
 */
export interface WorkflowRun {
  readonly id: string;
  readonly attempt: string;
}

function checked(what: string, value: string): string {
  if (!/^\d+$/.test(value)) throw new Error(`runsOnLabel: the ${what} must be digits (GITHUB_RUN_ID / GITHUB_RUN_ATTEMPT), got "${value}"`);
  return value;
}

/**
 * The layers whose stacks configure the kubernetes or helm provider and so need the cluster's
 * API to plan and apply. `stackNeedsClusterApi` derives it from a synthesized stack; a test
 * holds this list equal to what the synthesized app declares.
 */
export const CLUSTER_API_LAYERS: readonly string[] = ["platform", "app"];

/** Providers that talk to the Kubernetes API. */
export const CLUSTER_API_PROVIDERS: readonly string[] = ["kubernetes", "helm"];

/** Whether a synthesized stack (cdk.tf.json) declares a provider that talks to the Kubernetes API. */
export function stackNeedsClusterApi(stackJson: { readonly provider?: Readonly<Record<string, unknown>> }): boolean {
  return Object.keys(stackJson.provider ?? {}).some((p) => CLUSTER_API_PROVIDERS.includes(p));
}

/**
 * The `runs-on` value for one stack's job: the VPC runner's label when the stack needs the
 * cluster's API, GitHub-hosted otherwise (those layers talk to AWS APIs only and also run on a
 * first deployment, before the runner exists).
 */
export function runsOnForStack(env: RunnerEnvironment, stackJson: { readonly provider?: Readonly<Record<string, unknown>> }, run?: WorkflowRun): string {
  return stackNeedsClusterApi(stackJson) ? runsOnLabel(env, run) : GITHUB_HOSTED_LABEL;
}
