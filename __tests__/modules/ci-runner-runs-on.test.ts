import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { splitStackId } from "../../tools/synth/manifest";
import {
  CLUSTER_API_LAYERS,
  GITHUB_HOSTED_LABEL,
  githubConnectionName,
  runnerProjectName,
  runsOnForStack,
  runsOnLabel,
  stackNeedsClusterApi,
  type RunnerEnvironment,
} from "../../modules/ci-runner/runs-on";
import { SHIPPED_ENVIRONMENTS, shippedEnvironment } from "../support/fixtures";
import { synthesizedApp } from "../support/synthesized-app";
import { describeWithTerraform } from "../support/terraform";

const codebuild: RunnerEnvironment = { names: { prefix: "upskill-dev" }, cicd: { runner: { type: "codebuild" } } };
const githubHosted: RunnerEnvironment = { names: { prefix: "upskill-dev" }, cicd: { runner: { type: "github-hosted" } } };

describe("runs-on of the CI jobs", () => {
  test("CodeBuild runners: the project's label with the run id and attempt (one ephemeral runner per job)", () => {
    expect(runsOnLabel(codebuild)).toBe("codebuild-upskill-dev-runner-${{ github.run_id }}-${{ github.run_attempt }}");
    expect(runnerProjectName("upskill-dev")).toBe("upskill-dev-runner");
    expect(githubConnectionName("upskill-staging")).toBe("upskill-staging-gh");
  });

  test("for a later job's runs-on (a job output, which GitHub does not evaluate again) the run id and attempt are filled in", () => {
    expect(runsOnLabel(codebuild, { id: "9876543210", attempt: "2" })).toBe("codebuild-upskill-dev-runner-9876543210-2");
    expect(runsOnLabel(githubHosted, { id: "9876543210", attempt: "2" })).toBe("ubuntu-latest");
    expect(runsOnForStack(codebuild, { provider: { helm: [{}] } }, { id: "1", attempt: "1" })).toBe("codebuild-upskill-dev-runner-1-1");
    expect(() => runsOnLabel(codebuild, { id: "${{ github.run_id }}", attempt: "1" })).toThrow(/run id must be digits/);
  });

  test("GitHub-hosted runners: ubuntu-latest", () => {
    expect(runsOnLabel(githubHosted)).toBe("ubuntu-latest");
    expect(GITHUB_HOSTED_LABEL).toBe("ubuntu-latest");
  });

  test("every shipped environment runs its CI on CodeBuild runners", () => {
    for (const env of SHIPPED_ENVIRONMENTS) expect(runsOnLabel(shippedEnvironment(env))).toBe(`codebuild-upskill-${env}-runner-\${{ github.run_id }}-\${{ github.run_attempt }}`);
  });

  test("the layers needing the cluster's API are exactly those whose synthesized stacks declare a kubernetes or helm provider", () => {
    const app = synthesizedApp();
    for (const env of SHIPPED_ENVIRONMENTS) {
      const needing = [...app.stacks].filter(([id, json]) => splitStackId(id).environment === env && stackNeedsClusterApi(json)).map(([id]) => splitStackId(id).layer);
      expect(needing.sort()).toEqual([...CLUSTER_API_LAYERS].sort());
    }
  });

  test("no stack that does without the cluster's API depends on one that needs it (CI can run them first, on GitHub-hosted runners)", () => {
    const app = synthesizedApp();
    const needs = (id: string) => stackNeedsClusterApi(app.stacks.get(id)!);
    const wrong = [...app.stacks.keys()].filter((id) => !needs(id)).flatMap((id) => (app.dependencies.get(id) ?? []).filter(needs).map((d) => `${id} -> ${d}`));
    expect(wrong).toEqual([]);
    expect([...app.dependencies.values()].flat().length).toBeGreaterThan(10);
  });

  test("a stack's job runs in the VPC only when it needs the cluster's API", () => {
    expect(runsOnForStack(codebuild, { provider: { aws: [{}], kubernetes: [{}] } })).toBe(runsOnLabel(codebuild));
    expect(runsOnForStack(codebuild, { provider: { aws: [{}], helm: [{}] } })).toBe(runsOnLabel(codebuild));
    expect(runsOnForStack(codebuild, { provider: { aws: [{}] } })).toBe("ubuntu-latest");
    expect(runsOnForStack(codebuild, {})).toBe("ubuntu-latest");
  });
});

describeWithTerraform("the cluster stack's runs-on output, evaluated by Terraform", () => {
  test.each([...SHIPPED_ENVIRONMENTS])("%s: Terraform yields the literal label, GitHub's ${{ }} untouched", (env) => {
    const json = synthesizedApp().stacks.get(`${env}-cluster`)!;
    const value = (json as any).output["runs-on"].value as string;
    // A bare `${{` in the output would be parsed by Terraform as its own interpolation (and fail).
    const expression = /^\$\{(.*)\}$/s.exec(value)?.[1];
    expect(expression).toBeDefined();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runs-on-"));
    try {
      const run = spawnSync("terraform", ["console"], { cwd: dir, input: `jsonencode(${expression})\n`, encoding: "utf8", env: { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null", CHECKPOINT_DISABLE: "1" } });
      expect(run.stderr).toBe("");
      expect(JSON.parse(JSON.parse(run.stdout.trim()))).toBe(runsOnLabel(shippedEnvironment(env)));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
