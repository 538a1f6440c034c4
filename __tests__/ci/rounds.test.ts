import * as path from "node:path";
import { checkPhases, main, phaseDepth, phaseStacks, phaseUpstreams, routes, runnerKind, runnerProject, runsOn, stateBackend } from "../../tools/ci/rounds";
import { environmentStacks } from "../../tools/ci/stack-order";
import { readManifest } from "../../tools/synth/manifest";
import { SHIPPED_ENVIRONMENTS } from "../support/fixtures";
import { s3Backend, writeSynthDir } from "../support/synth-dir";

const manifest = readManifest(path.join(process.env.UPSKILL_TEST_SYNTH_DIR!, "manifest.json"));

function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err: err.join("\n") };
}

describe("deploy phases and rounds", () => {
  test.each(SHIPPED_ENVIRONMENTS)("%s: the stacks that talk to the cluster API (kubernetes/helm providers) form the later phase; every CI stack is in one phase", (env) => {
    expect(phaseStacks(manifest, env, "cluster-api")).toEqual([`${env}-platform`, `${env}-app`]);
    expect(phaseStacks(manifest, env, "hosted")).toEqual([`${env}-network`, `${env}-data`, `${env}-cluster`, `${env}-edge`, `${env}-observability`]);
    expect([...phaseStacks(manifest, env, "hosted"), ...phaseStacks(manifest, env, "cluster-api")].sort()).toEqual([...environmentStacks(manifest, env).stacks].sort());
    expect(() => checkPhases(manifest, env)).not.toThrow();
    // The cluster-api phase reads the hosted stacks it depends on (their state only).
    expect(phaseUpstreams(manifest, env, "cluster-api")).toEqual([`${env}-network`, `${env}-data`, `${env}-cluster`, `${env}-edge`]);
    expect(phaseUpstreams(manifest, env, "hosted")).toEqual([]);
  });

  test("depth: the longest dependency chain inside each phase (network → data → cluster/edge → observability; platform → app)", () => {
    for (const env of SHIPPED_ENVIRONMENTS) {
      expect(phaseDepth(manifest, env, "hosted")).toBe(4);
      expect(phaseDepth(manifest, env, "cluster-api")).toBe(2);
    }
  });

  test("a hosted stack that depends on a cluster-api one is refused: it would run before it", () => {
    const provider = (names: string[]) => Object.fromEntries(names.map((n) => [n, [{}]]));
    const dir = writeSynthDir({
      "qa-network": { json: { ...s3Backend(), provider: provider(["aws"]) } },
      "qa-platform": { json: { ...s3Backend(), provider: provider(["aws", "helm"]) }, dependencies: ["qa-network"] },
      "qa-observability": { json: { ...s3Backend(), provider: provider(["aws"]) }, dependencies: ["qa-platform"] },
    });
    const m = readManifest(path.join(dir, "manifest.json"));
    expect(() => checkPhases(m, "qa")).toThrow("qa-observability (hosted) depends on qa-platform (cluster-api)");
    expect(run(["--manifest", path.join(dir, "manifest.json"), "routes"]).code).toBe(1);
  });

  test("runner kinds and runs-on: the cluster-api phase on the environment's CodeBuild runner, the hosted phase on GitHub's", () => {
    expect(runnerKind({ provider: { aws: [{}] } })).toBe("hosted");
    expect(runnerKind({ provider: { aws: [{}], kubernetes: [{}] } })).toBe("cluster-api");
    expect(runsOn([{ id: "dev-app", runner: "cluster-api" }], "upskill-dev-runner")).toEqual({ project: "upskill-dev-runner" });
    expect(runsOn([{ id: "dev-network", runner: "hosted" }], "upskill-dev-runner")).toEqual({ label: "ubuntu-latest" });
    // An environment on GitHub-hosted runners (public endpoint open to them) builds no runner project.
    expect(runsOn([{ id: "dev-app", runner: "cluster-api" }], undefined)).toEqual({ label: "ubuntu-latest" });
    expect(runnerProject(manifest, "dev")).toBe("upskill-dev-runner");
    expect(Object.keys(routes(manifest)).sort()).toEqual([...SHIPPED_ENVIRONMENTS].sort());
  });

  test("the state backend the saved plans go to: bucket, region, the state key's alias", () => {
    expect(stateBackend(manifest, "dev")).toEqual({ bucket: "upskill-dev-tfstate-111111111111", region: "eu-west-1", kmsKeyId: "arn:aws:kms:eu-west-1:111111111111:alias/upskill-dev/tfstate" });
  });

  test("command: routes, stacks, upstreams, backend, errors", () => {
    const m = ["--manifest", path.join(manifest.dir, "manifest.json")];
    expect(JSON.parse(run([...m, "routes"]).out[0]!).prod).toEqual({ hosted: { label: "ubuntu-latest" }, "cluster-api": { project: "upskill-prod-runner" } });
    expect(run([...m, "stacks", "dev", "cluster-api"]).out).toEqual(["dev-platform", "dev-app"]);
    expect(run([...m, "upstreams", "dev", "cluster-api"]).out).toContain("dev-cluster");
    expect(JSON.parse(run([...m, "backend", "prod"]).out[0]!).bucket).toMatch(/^upskill-prod-tfstate-/);
    const bad = run([...m, "stacks", "dev", "gpu"]);
    expect(bad).toMatchObject({ code: 1 });
    expect(bad.err).toContain('unknown phase "gpu"; phases: hosted, cluster-api');
    expect(run([...m, "stacks"]).code).toBe(2);
  });
});
