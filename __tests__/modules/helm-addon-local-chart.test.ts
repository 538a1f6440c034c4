import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Testing, TerraformStack } from "cdktf";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { HelmAddOn } from "../../modules/helm-addon/helm-addon";
import { LocalChart } from "../../modules/helm-addon/local-chart";

function chartDir(chartYaml = "apiVersion: v2\nname: demo\nversion: 2.3.4\n"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "upskill-local-chart-"));
  fs.writeFileSync(path.join(dir, "Chart.yaml"), chartYaml);
  fs.mkdirSync(path.join(dir, "templates"));
  fs.writeFileSync(path.join(dir, "templates", "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\n");
  return dir;
}

describe("HelmAddOn with a local chart", () => {
  test("the release names the chart's copy beside the stack and no repository, credentials or version; one copy serves several releases", () => {
    const dir = chartDir();
    let chart!: LocalChart;
    let release!: HelmAddOn;
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        chart = new LocalChart(scope, "chart", { directory: dir });
        release = new HelmAddOn(scope, "api", { name: "upskill-api", namespace: "upskill", localChart: chart });
        new HelmAddOn(scope, "web", { name: "upskill-web", namespace: "upskill", localChart: chart });
      }),
    );
    const releases = Object.values<any>(json.resource.helm_release);
    expect(releases.map((r) => r.chart)).toEqual([chart.path, chart.path]);
    expect(chart.path).toMatch(/^assets\/chart_files_[0-9A-F]+\/[0-9A-F]{32}$/);
    for (const r of releases) for (const key of ["repository", "repository_username", "repository_password", "version"]) expect(r).not.toHaveProperty(key);
    expect([chart.chartName, chart.version, release.chartVersion]).toEqual(["demo", "2.3.4", "2.3.4"]);
  });

  test("synthesis copies the chart into the stack's assets at that path", () => {
    const dir = chartDir();
    const app = Testing.app();
    const stack = new TerraformStack(app, "demo");
    new HelmProvider(stack, "helm", {});
    const chart = new LocalChart(stack, "chart", { directory: dir });
    new HelmAddOn(stack, "api", { name: "upskill-api", namespace: "upskill", localChart: chart });
    app.synth();
    const copied = path.join(app.outdir, "stacks", "demo", chart.path);
    expect(fs.readFileSync(path.join(copied, "Chart.yaml"), "utf8")).toBe(fs.readFileSync(path.join(dir, "Chart.yaml"), "utf8"));
    expect(fs.existsSync(path.join(copied, "templates", "cm.yaml"))).toBe(true);
  });

  test("the asset path changes with the chart's content (Terraform then plans an upgrade)", () => {
    const a = chartDir();
    const b = chartDir();
    fs.appendFileSync(path.join(b, "templates", "cm.yaml"), "metadata: { name: x }\n");
    const pathOf = (dir: string) => {
      let p = "";
      Testing.synthScope((scope) => void (p = new LocalChart(scope, "chart", { directory: dir }).path));
      return p;
    };
    expect(pathOf(a)).toBe(pathOf(chartDir()));
    expect(pathOf(a)).not.toBe(pathOf(b));
  });

  test("a local chart together with a repository, chart or version is refused", () => {
    const dir = chartDir();
    expect(() =>
      Testing.synthScope((scope) => {
        const chart = new LocalChart(scope, "chart", { directory: dir });
        new HelmAddOn(scope, "api", { name: "upskill-api", namespace: "upskill", localChart: chart, ...({ repository: "oci://x", version: "1.0.0" } as object) });
      }),
    ).toThrow("HelmAddOn api: give either localChart or repository/chart/version, not both (remove repository, version): a local chart is installed at its Chart.yaml version");
  });

  test("a folder that is not a Helm 3 chart is refused, naming the file", () => {
    const v1 = chartDir("apiVersion: v1\nname: demo\nversion: 1.0.0\n");
    expect(() => Testing.synthScope((scope) => void new LocalChart(scope, "chart", { directory: v1 }))).toThrow(`LocalChart chart: ${path.join(v1, "Chart.yaml")}: apiVersion must be v2 (a Helm 3 chart), got "v1"`);
    const range = chartDir("apiVersion: v2\nname: demo\nversion: ^1.0.0\n");
    expect(() => Testing.synthScope((scope) => void new LocalChart(scope, "chart", { directory: range }))).toThrow('version must be an exact version such as 1.2.3, got "^1.0.0"');
  });
});
