import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { REPO_ROOT, shippedEnvironment, SHIPPED_ENVIRONMENTS } from "../support/fixtures";

/**
 * ci.yml runs Helm on the app's chart with every environment's values, where
 * Helm exists (the users' CI). There is no Helm here: the step's own script is
 * run with a stand-in `helm` on PATH that records its calls, against the app
 * as synthesized, which proves it lints and renders every release's values and
 * fails the job when Helm fails.
 */
interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
}
const steps: Step[] = parse(fs.readFileSync(path.join(REPO_ROOT, ".github", "workflows", "ci.yml"), "utf8")).jobs.test.steps;
const index = (re: RegExp) => steps.findIndex((s) => re.test(s.run ?? "") || re.test(s.uses ?? ""));
const chartStep = steps[index(/helm lint/)];

describe("ci.yml: Helm on the app's chart", () => {
  test("installs a pinned Helm, then lints and renders charts/upskill-service after synthesis", () => {
    const setup = index(/^azure\/setup-helm@/);
    expect(setup).toBeGreaterThan(-1);
    expect(steps[setup].with?.version).toMatch(/^v3\.\d+\.\d+$/);
    expect(index(/helm lint/)).toBeGreaterThan(setup);
    expect(index(/helm lint/)).toBeGreaterThan(index(/^npm run synth$/));
    expect(chartStep.run).toMatch(/helm lint charts\/upskill-service --values/);
    expect(chartStep.run).toMatch(/helm template "\$release" charts\/upskill-service --namespace upskill/);
  });

  describe("its script, with a stand-in helm", () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "upskill-chart-ci-"));
    for (const f of ["package.json", "node_modules", "tools", "charts", "tsconfig.json"]) fs.symlinkSync(path.join(REPO_ROOT, f), path.join(work, f));
    fs.symlinkSync(process.env.UPSKILL_TEST_SYNTH_DIR!, path.join(work, "cdktf.out"));
    fs.mkdirSync(path.join(work, "bin"));
    fs.writeFileSync(
      path.join(work, "bin", "helm"),
      // Records each call; `template` prints a manifest; FAIL_RELEASE makes that release's template fail.
      '#!/bin/sh\necho "$*" >> "$HELM_LOG"\nif [ "$1" = template ]; then [ "$2" = "$FAIL_RELEASE" ] && exit 1; echo "kind: Deployment"; fi\nexit 0\n',
      { mode: 0o755 },
    );
    const run = (extra: Record<string, string> = {}) => {
      const runnerTemp = fs.mkdtempSync(path.join(work, "runner-"));
      const log = path.join(runnerTemp, "helm.log");
      const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", chartStep.run!], {
        cwd: work,
        encoding: "utf8",
        env: { ...process.env, PATH: `${path.join(work, "bin")}:${process.env.PATH}`, RUNNER_TEMP: runnerTemp, HELM_LOG: log, ...extra },
      });
      const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [];
      return { ...r, calls, runnerTemp };
    };
    // rm does not follow the symlinks: only the scratch folder goes.
    afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
    const releases = SHIPPED_ENVIRONMENTS.flatMap((env) => shippedEnvironment(env).app.services.map((s) => ({ stack: `${env}-app`, release: `upskill-${s.name}` })));

    test("lints and renders every app release of every environment with its values file, and passes", () => {
      const r = run();
      expect([r.status, r.stderr]).toEqual([0, ""]);
      expect(r.calls).toHaveLength(2 * releases.length);
      for (const { stack, release } of releases) {
        const values = path.join(r.runnerTemp, "chart-values", stack, `${release}.yaml`);
        expect(r.calls).toContain(`lint charts/upskill-service --values ${values}`);
        expect(r.calls).toContain(`template ${release} charts/upskill-service --namespace upskill --kube-version 1.33.0 --values ${values}`);
        expect(parse(fs.readFileSync(values, "utf8")).fullnameOverride).toBe(release);
        expect(fs.readFileSync(`${values}.rendered.yaml`, "utf8")).toBe("kind: Deployment\n");
      }
    });

    test("fails the job, naming the release, when Helm fails on one", () => {
      const r = run({ FAIL_RELEASE: "upskill-web" });
      expect(r.status).toBe(1);
      expect(r.stdout).toContain("::error title=helm::upskill-web with");
      expect(r.calls).toHaveLength(2 * releases.length);
    });
  });
});
