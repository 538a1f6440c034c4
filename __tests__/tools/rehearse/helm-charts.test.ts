import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { rehearse, type StackResult } from "../../../tools/rehearse/rehearse";
import { copyAssets, helmChartProblems } from "../../../tools/rehearse/helm-charts";
import { writeSynthDir } from "../../support/synth-dir";
import { describeWithTerraform } from "../../support/terraform";

/**
 * The Helm provider loads every release's chart while planning; the
 * schema-only provider does not, so the rehearsal checks it: a local chart
 * must be a chart folder relative to the stack's directory (which the
 * rehearsal's copy must carry along), and no chart may come from a private
 * registry (it would have to be pushed before a fresh environment can plan).
 */
const CHART = "assets/service-chart_files_1/ABC";
const release = (extra: Record<string, unknown>) => ({ name: "upskill-api", namespace: "upskill", ...extra });
const json = (releases: Record<string, unknown>) => ({ resource: { helm_release: releases } });

function stackDir(withChart: boolean): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "upskill-charts-"));
  if (withChart) {
    fs.mkdirSync(path.join(dir, CHART), { recursive: true });
    fs.writeFileSync(path.join(dir, CHART, "Chart.yaml"), "apiVersion: v2\nname: upskill-service\nversion: 1.0.0\n");
  }
  return dir;
}

describe("helmChartProblems", () => {
  test("a local chart folder beside the stack passes; public chart repositories pass", () => {
    const dir = stackDir(true);
    expect(
      helmChartProblems(
        json({
          app: release({ chart: CHART }),
          lbc: release({ repository: "https://aws.github.io/eks-charts", chart: "aws-load-balancer-controller", version: "1.14.0" }),
          pub: release({ chart: "oci://public.ecr.aws/example/chart", version: "1.0.0" }),
        }),
        dir,
      ),
    ).toEqual([]);
  });

  test("a local chart missing from the stack's directory is refused, naming the release", () => {
    const problems = helmChartProblems(json({ app: release({ chart: CHART }) }), stackDir(false));
    expect(problems.map((p) => [p.address, p.summary])).toEqual([["helm_release.app", "Local chart not found"]]);
    expect(problems[0].text).toContain(`chart = "${CHART}" is not a chart folder (with Chart.yaml)`);
  });

  test("charts from the account's ECR, from a registry the stack creates, or with credentials are refused", () => {
    const problems = helmChartProblems(
      json({
        ecr: release({ repository: "oci://111111111111.dkr.ecr.eu-west-1.amazonaws.com/upskill-dev/charts", chart: "upskill-api", version: "1.0.0" }),
        made: release({ repository: "oci://${aws_ecr_repository.chart.repository_url}", chart: "upskill-api", version: "1.0.0" }),
        creds: release({ repository: "https://charts.example.com", chart: "x", version: "1.0.0", repository_password: "${data.aws_ecr_authorization_token.t.password}" }),
      }),
      stackDir(false),
    );
    expect(problems.map((p) => [p.address, p.summary])).toEqual([
      ["helm_release.ecr", "Chart downloaded from a private registry at plan time"],
      ["helm_release.made", "Chart downloaded from a private registry at plan time"],
      ["helm_release.creds", "Chart downloaded from a private registry at plan time"],
    ]);
  });

  test("copyAssets carries the stack's assets into its copy", () => {
    const from = stackDir(true);
    const to = fs.mkdtempSync(path.join(os.tmpdir(), "upskill-charts-copy-"));
    copyAssets(from, to);
    expect(fs.readFileSync(path.join(to, CHART, "Chart.yaml"), "utf8")).toContain("name: upskill-service");
  });
});

describeWithTerraform("rehearsal: helm releases' charts at plan time", () => {
  const meta = (p: string) => ({ "//": { metadata: { path: p, uniqueId: p.split("/").pop() } } });
  const stack = (id: string, chart: Record<string, unknown>) => ({
    terraform: { required_providers: { helm: { source: "helm", version: "3.1.1" } }, backend: { s3: { bucket: "state", key: `${id}.tfstate`, region: "eu-west-1", encrypt: true } } },
    provider: { helm: [{}] },
    resource: { helm_release: { app: { ...meta(`${id}/service-api/release`), name: "upskill-api", namespace: "upskill", ...chart } } },
  });
  let results: Map<string, StackResult>;
  const dirs: string[] = [];

  beforeAll(async () => {
    const dir = writeSynthDir({
      "charts-local": { json: stack("charts-local", { chart: CHART }) },
      "charts-missing": { json: stack("charts-missing", { chart: "assets/service-chart_files_1/GONE" }) },
      "charts-ecr": { json: stack("charts-ecr", { repository: "oci://111111111111.dkr.ecr.eu-west-1.amazonaws.com/upskill-dev/charts", chart: "upskill-api", version: "1.0.0" }) },
    });
    const chartDir = path.join(dir, "stacks", "charts-local", CHART);
    fs.mkdirSync(chartDir, { recursive: true });
    fs.writeFileSync(path.join(chartDir, "Chart.yaml"), "apiVersion: v2\nname: upskill-service\nversion: 1.0.0\n");
    const r = await rehearse({ manifestFile: path.join(dir, "manifest.json"), jobs: 3 });
    results = new Map(r.stacks.map((s) => [s.id, s]));
    dirs.push(dir, r.workspace.dir);
  }, 120_000);

  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  test("a release of a local chart beside the stack applies (the copy carries the chart)", () => {
    expect(results.get("charts-local")!.result).toBe("applied");
  });

  test("a local chart that is not there fails at plan, at the release's construct", () => {
    const s = results.get("charts-missing")!;
    expect(s.result).toBe("failed at plan");
    const e = s.diagnostics.find((d) => d.severity === "error")!;
    expect(e).toMatchObject({ summary: "Local chart not found", construct: "charts-missing/service-api/release" });
  });

  test("a chart from a private ECR registry fails at plan", () => {
    const s = results.get("charts-ecr")!;
    expect(s.result).toBe("failed at plan");
    expect(s.diagnostics.find((d) => d.severity === "error")!.summary).toBe("Chart downloaded from a private registry at plan time");
  });
});
