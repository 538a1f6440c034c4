import * as path from "node:path";
import { environments, environmentRegion, environmentStacks, main } from "../../../tools/ci/stack-order";
import { DEPLOY_ORDER, dependencyOrder, readManifest, splitStackId } from "../../../tools/synth/manifest";
import { LAYERS } from "../../../stacks/layer-stack";
import { localBackend, s3Backend, writeSynthDir } from "../../support/synth-dir";
import { SHIPPED_ENVIRONMENTS } from "../../support/fixtures";

function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err: err.join("\n") };
}

// Two environments; dev's stacks listed out of order in the manifest.
const dir = writeSynthDir({
  "dev-app": { dependencies: ["dev-cluster", "dev-edge"] },
  "dev-bootstrap": { json: localBackend },
  "dev-cluster": { dependencies: ["dev-network", "dev-data"] },
  "dev-data": { dependencies: ["dev-network"] },
  "dev-edge": { dependencies: ["dev-network"] },
  "dev-network": {},
  "dev-observability": { dependencies: ["dev-data", "dev-edge"] },
  "prod-eu-network": { json: s3Backend("eu-central-1") },
  "prod-eu-bootstrap": { json: localBackend },
});
const manifestFile = path.join(dir, "manifest.json");

describe("stack order", () => {
  test("the tools' deploy order is the stacks' LAYERS", () => {
    expect([...DEPLOY_ORDER]).toEqual([...LAYERS]);
  });

  test("stack ids split into environment and layer (environments may hold dashes)", () => {
    expect(splitStackId("prod-eu-network")).toEqual({ environment: "prod-eu", layer: "network" });
    expect(() => splitStackId("network")).toThrow('stack id "network" is not <environment>-<layer>');
  });

  test("dependencies first, ties in deploy order of the layers", () => {
    expect(environmentStacks(readManifest(manifestFile), "dev").stacks).toEqual([
      "dev-network", "dev-data", "dev-cluster", "dev-edge", "dev-app", "dev-observability",
    ]);
  });

  test("a dependency wins over the layer order", () => {
    // edge declared as depending on app: app must come first although its layer is later.
    expect(dependencyOrder([
      { id: "x-edge", layer: "edge", dependencies: ["x-app"] },
      { id: "x-app", layer: "app", dependencies: [] },
    ])).toEqual(["x-app", "x-edge"]);
  });

  test("stacks with local state are skipped unless asked for", () => {
    const m = readManifest(manifestFile);
    expect(environmentStacks(m, "dev").skipped).toEqual(["dev-bootstrap"]);
    expect(environmentStacks(m, "dev", true).stacks[0]).toBe("dev-bootstrap");
  });

  test("a cycle and a dependency outside the set are errors naming the stacks", () => {
    expect(() => dependencyOrder([
      { id: "a-data", layer: "data", dependencies: ["a-network"] },
      { id: "a-network", layer: "network", dependencies: ["a-data"] },
    ])).toThrow("dependency cycle among a-data, a-network");
    expect(() => dependencyOrder([{ id: "a-data", layer: "data", dependencies: ["b-network"] }])).toThrow("a-data depends on b-network");
  });

  test("environments and regions", () => {
    const m = readManifest(manifestFile);
    expect(environments(m)).toEqual(["dev", "prod-eu"]);
    expect(environmentRegion(m, "prod-eu")).toBe("eu-central-1");
    expect(() => environmentStacks(m, "qa")).toThrow('no stack of environment "qa"');
  });

  test("command: environments, stacks, region, errors", () => {
    expect(run(["--manifest", manifestFile, "environments"]).out).toEqual(['["dev","prod-eu"]']);
    const stacks = run(["stacks", "prod-eu", "--manifest", manifestFile]);
    expect(stacks).toMatchObject({ code: 0, out: ["prod-eu-network"] });
    expect(stacks.err).toContain("skipped prod-eu-bootstrap: its state is local");
    expect(run(["--manifest", manifestFile, "region", "dev"]).out).toEqual(["eu-west-1"]);
    expect(run(["--manifest", manifestFile, "stacks"]).code).toBe(2);
    const missing = run(["--manifest", path.join(dir, "nope.json"), "environments"]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("not found; run `npm run synth` first");
  });

  test("the real synthesized app: every shipped environment, ordered, bootstrap left to a person", () => {
    const m = readManifest(path.join(process.env.UPSKILL_TEST_SYNTH_DIR!, "manifest.json"));
    expect(environments(m)).toEqual([...SHIPPED_ENVIRONMENTS].sort());
    for (const env of SHIPPED_ENVIRONMENTS) {
      const plan = environmentStacks(m, env);
      expect(plan.skipped).toEqual([`${env}-bootstrap`]);
      expect(plan.stacks[0]).toBe(`${env}-network`);
      // every stack after the ones it depends on
      for (const s of m.stacks.filter((x) => x.environment === env && plan.stacks.includes(x.id))) {
        for (const d of s.dependencies.filter((d) => plan.stacks.includes(d))) expect(plan.stacks.indexOf(d)).toBeLessThan(plan.stacks.indexOf(s.id));
      }
      expect(environmentRegion(m, env)).toMatch(/^[a-z]{2}(-[a-z]+)+-\d$/);
    }
  });
});
