import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

/**
 * The content digest of a chart folder, recorded with its version in
 * `charts/digests.json`: a test fails when the content changed but
 * Chart.yaml's version did not. Helm (and the helm_release's `version`)
 * report the version, so two different charts must never share one.
 */

export const ROOT = path.resolve(__dirname, "..", "..");
export const CHARTS_DIR = path.join(ROOT, "charts");
export const DIGESTS_FILE = path.join(CHARTS_DIR, "digests.json");

export interface ChartRecord {
  readonly version: string;
  readonly sha256: string;
}
export type DigestsFile = Record<string, ChartRecord>;

/** Chart.yaml's version. */
export function chartVersion(chartDir: string): string {
  const meta = parse(fs.readFileSync(path.join(chartDir, "Chart.yaml"), "utf8")) as { version?: unknown };
  if (typeof meta?.version !== "string") throw new Error(`${path.join(chartDir, "Chart.yaml")}: no version`);
  return meta.version;
}

/**
 * sha256 over every file's relative path and bytes (sorted by path), with
 * Chart.yaml's `version:` line left out so that bumping it alone keeps the digest.
 */
export function chartDigest(chartDir: string): string {
  const hash = createHash("sha256");
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files.push(path.relative(chartDir, p).split(path.sep).join("/"));
    }
  };
  walk(chartDir);
  for (const f of files.sort()) {
    let bytes = fs.readFileSync(path.join(chartDir, f));
    if (f === "Chart.yaml") bytes = Buffer.from(bytes.toString("utf8").replace(/^version:.*$/m, ""), "utf8");
    hash.update(`${f}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return hash.digest("hex");
}

export function currentRecord(chartDir: string): ChartRecord {
  return { version: chartVersion(chartDir), sha256: chartDigest(chartDir) };
}

export function readDigests(file = DIGESTS_FILE): DigestsFile {
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as DigestsFile) : {};
}

/** Every chart folder under charts/. */
export function chartNames(dir = CHARTS_DIR): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, "Chart.yaml")))
    .map((e) => e.name)
    .sort();
}

const numeric = (v: string) => v.split(/[-+]/)[0].split(".").map(Number);
/** a > b for plain x.y.z versions (pre-release and build parts ignored). */
export function versionGreater(a: string, b: string): boolean {
  const [x, y] = [numeric(a), numeric(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] > y[i];
  return false;
}

/**
 * What is wrong with a chart's record, as a sentence saying what to do; none
 * when the recorded version and digest are the chart's own.
 */
export function recordProblem(name: string, recorded: ChartRecord | undefined, current: ChartRecord): string | undefined {
  const chartYaml = `charts/${name}/Chart.yaml`;
  if (!recorded) return `charts/digests.json has no record of ${name}: run \`npm run chart:digest\``;
  if (recorded.sha256 === current.sha256) {
    return recorded.version === current.version ? undefined : `${chartYaml}: version ${current.version} but the content is that of ${recorded.version}; bump the version only with a change, or run \`npm run chart:digest\``;
  }
  if (recorded.version === current.version) {
    return `charts/${name} changed but ${chartYaml} still says version ${current.version}: bump the version (Helm and Terraform tell releases apart by it), then run \`npm run chart:digest\``;
  }
  if (!versionGreater(current.version, recorded.version)) return `${chartYaml}: version ${current.version} must be greater than the recorded ${recorded.version}`;
  return `charts/${name} is at version ${current.version} but charts/digests.json records ${recorded.version}: run \`npm run chart:digest\``;
}
