import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { readManifest } from "../synth/manifest";

/**
 * The values each release of a local chart gets, read from a synthesized app
 * (cdktf.out/): what `helm lint` / `helm template` in CI and the schema tests
 * check. Terraform's references (`${jsonencode(...)}`, resolved only at
 * apply) stay as their text, a string where Helm would get a string.
 */
export interface ReleaseValues {
  /** `<stack>/helm_release.<name>` */
  readonly address: string;
  readonly stack: string;
  /** helm_release.name */
  readonly release: string;
  /** The chart folder beside the stack, absolute. */
  readonly chartDir: string;
  /** Chart.yaml's name (`upskill-service`). */
  readonly chartName: string;
  readonly values: Record<string, unknown>;
}

/** Terraform's escapes of literal text in a string (`$${` is `${`, `%%{` is `%{`). */
const unescape = (s: string) => s.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");

function unescapeAll(v: unknown): unknown {
  if (typeof v === "string") return unescape(v);
  if (Array.isArray(v)) return v.map(unescapeAll);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unescapeAll(x)]));
  return v;
}

/** Every helm_release of a chart folder in the stack's directory (no repository), with its merged values. */
export function localChartReleases(manifestFile: string): ReleaseValues[] {
  const out: ReleaseValues[] = [];
  for (const stack of readManifest(manifestFile).stacks) {
    const json = JSON.parse(fs.readFileSync(stack.stackFile, "utf8"));
    for (const [name, r] of Object.entries<any>(json.resource?.helm_release ?? {})) {
      if (r.repository !== undefined || typeof r.chart !== "string" || /^[a-z]+:\/\//.test(r.chart)) continue;
      const chartDir = path.resolve(stack.workingDirectory, r.chart);
      const chartFile = path.join(chartDir, "Chart.yaml");
      if (!fs.existsSync(chartFile)) throw new Error(`${stack.id}/helm_release.${name}: chart ${r.chart} has no Chart.yaml beside the stack (${chartFile}); synthesize again`);
      const values = (r.values ?? []).reduce((acc: Record<string, unknown>, text: string) => ({ ...acc, ...(unescapeAll(parse(text)) as Record<string, unknown>) }), {});
      out.push({ address: `${stack.id}/helm_release.${name}`, stack: stack.id, release: r.name, chartDir, chartName: String(parse(fs.readFileSync(chartFile, "utf8")).name), values });
    }
  }
  return out;
}
