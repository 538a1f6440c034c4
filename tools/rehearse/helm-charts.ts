import * as fs from "node:fs";
import * as path from "node:path";
import type { Diagnostic } from "./terraform";

/**
 * What the real Helm provider does while planning and the schema-only one
 * cannot: it loads each helm_release's chart (resource_helm_release.go
 * ModifyPlan → getChart). A local chart is read from the path relative to
 * Terraform's working directory; a chart in a private registry (ECR, or one
 * the same stack creates) must already be pushed and needs credentials, so a
 * fresh environment could not plan. Public repositories (the platform
 * add-ons') are fine.
 */

/** A registry that needs credentials or is made by the stack itself. */
const PRIVATE_REGISTRY = /\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com|\$\{/;

const frame = (summary: string, address: string, detail: string): Diagnostic => ({
  severity: "error",
  summary,
  address,
  text: [`╷`, `│ Error: ${summary}`, `│`, `│   with ${address}`, `│`, ...detail.split("\n").map((l) => `│ ${l}`), `╵`].join("\n"),
});

/** Plan-time chart problems of a stack, its JSON as Terraform will read it in `workingDirectory`. */
export function helmChartProblems(json: any, workingDirectory: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [name, r] of Object.entries<any>(json?.resource?.helm_release ?? {})) {
    const address = `helm_release.${name}`;
    const chart = typeof r.chart === "string" ? r.chart : "";
    const repository = typeof r.repository === "string" ? r.repository : "";
    const remote = repository !== "" || /^(oci|https?):\/\//.test(chart);
    if (remote) {
      const where = repository || chart;
      if (PRIVATE_REGISTRY.test(where) || r.repository_password !== undefined || r.repository_username !== undefined) {
        out.push(
          frame(
            "Chart downloaded from a private registry at plan time",
            address,
            `The Helm provider downloads ${chart} from ${where} while planning: a fresh environment cannot plan before\nthe chart is pushed there. Keep the chart in the repository and install it from a local path (modules/helm-addon/local-chart.ts).`,
          ),
        );
      }
      continue;
    }
    if (chart.includes("${")) {
      out.push(frame("Local chart path is not known before plan", address, `chart = ${chart}: the Helm provider loads a local chart while planning; give a literal path.`));
      continue;
    }
    const dir = path.resolve(workingDirectory, chart);
    if (!fs.existsSync(path.join(dir, "Chart.yaml"))) {
      out.push(
        frame(
          "Local chart not found",
          address,
          `chart = "${chart}" is not a chart folder (with Chart.yaml) relative to the stack's directory ${workingDirectory}:\nthe Helm provider would fail to load it while planning. Synthesize again (a TerraformAsset copies the chart beside the stack).`,
        ),
      );
    }
  }
  return out;
}

/** Copies the stack's assets (local charts among them) into its rehearsal copy, where Terraform runs. */
export function copyAssets(sourceDirectory: string, targetDirectory: string): void {
  const assets = path.join(sourceDirectory, "assets");
  if (fs.existsSync(assets)) fs.cpSync(assets, path.join(targetDirectory, "assets"), { recursive: true });
}
