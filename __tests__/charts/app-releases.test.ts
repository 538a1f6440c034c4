import * as fs from "node:fs";
import * as path from "node:path";
import { synthesizedApp } from "../support/synthesized-app";
import { chartDigest } from "../../tools/chart-digest/digest";
import { REPO_ROOT, SHIPPED_ENVIRONMENTS } from "../support/fixtures";

/**
 * The synthesized app as `npm run synth` writes it: each app release installs
 * the chart from a folder beside its stack (cdktf.out stays self-contained for
 * audit and CI), byte for byte the repository's charts/upskill-service, and
 * nothing makes Terraform fetch a chart from a registry while planning.
 */
const SYNTH_DIR = () => process.env.UPSKILL_TEST_SYNTH_DIR!;
const CHART = path.join(REPO_ROOT, "charts", "upskill-service");

describe("app releases install the repository's chart from beside the stack", () => {
  const app = synthesizedApp();
  const appReleases = app.ofType("helm_release").filter((r) => r.config.namespace === "upskill");

  test("every shipped environment's app stack has its releases", () => {
    expect([...new Set(appReleases.map((r) => r.stack))].sort()).toEqual(SHIPPED_ENVIRONMENTS.map((e) => `${e}-app`).sort());
  });

  test.each(SHIPPED_ENVIRONMENTS)("%s: no repository, no credentials, no version, and no ECR token data source", (env) => {
    const releases = appReleases.filter((r) => r.stack === `${env}-app`);
    expect(releases.length).toBeGreaterThan(0);
    for (const r of releases) for (const key of ["repository", "repository_username", "repository_password", "version"]) expect([r.address, key, r.config[key]]).toEqual([r.address, key, undefined]);
    expect(app.dataSources.filter((d) => d.stack === `${env}-app` && d.type === "aws_ecr_authorization_token")).toEqual([]);
  });

  test.each(SHIPPED_ENVIRONMENTS)("%s: the chart path is relative, inside the stack's folder, and holds exactly charts/upskill-service", (env) => {
    const stackDir = path.join(SYNTH_DIR(), "stacks", `${env}-app`);
    for (const r of appReleases.filter((x) => x.stack === `${env}-app`)) {
      const chart: string = r.config.chart;
      expect(path.isAbsolute(chart)).toBe(false);
      const dir = path.resolve(stackDir, chart);
      expect(dir.startsWith(`${stackDir}${path.sep}`)).toBe(true);
      expect(fs.existsSync(path.join(dir, "Chart.yaml"))).toBe(true);
      expect(chartDigest(dir)).toBe(chartDigest(CHART));
      expect(fs.readFileSync(path.join(dir, "Chart.yaml"), "utf8")).toBe(fs.readFileSync(path.join(CHART, "Chart.yaml"), "utf8"));
    }
  });

  test("the platform add-ons still come from their public repositories at pinned versions", () => {
    const addOns = app.ofType("helm_release").filter((r) => r.config.namespace !== "upskill");
    expect(addOns.length).toBeGreaterThan(0);
    for (const r of addOns) expect([r.address, r.config.repository, r.config.version]).toEqual([r.address, expect.stringMatching(/^https:\/\//), expect.stringMatching(/^\d+\.\d+\.\d+$/)]);
  });
});
