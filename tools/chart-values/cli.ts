// `npm run chart:values [-- --dir cdktf.out --out <folder>]`: writes the values of every release of a
// local chart (the app's services) to <out>/<stack>/<release>.yaml, with an index of
// "<chart folder> <values file> <release>" lines, for `helm lint` and `helm template` in CI.
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { localChartReleases } from "./extract";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};
const dir = path.resolve(arg("--dir", "cdktf.out"));
const out = path.resolve(arg("--out", path.join(dir, "chart-values")));
const releases = localChartReleases(path.join(dir, "manifest.json"));
if (releases.length === 0) {
  console.error(`no release of a local chart in ${dir}: synthesize first (npm run synth)`);
  process.exit(1);
}
fs.rmSync(out, { recursive: true, force: true });
const index: string[] = [];
for (const r of releases) {
  const file = path.join(out, r.stack, `${r.release}.yaml`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `# ${r.address}: the values Helm gets (Terraform references as their text)\n${stringify(r.values, { lineWidth: 0 })}`);
  index.push(`${r.chartDir} ${file} ${r.release}`);
}
fs.writeFileSync(path.join(out, "index.txt"), `${index.join("\n")}\n`);
console.log(`wrote the values of ${releases.length} releases to ${path.relative(process.cwd(), out) || out}/ (index.txt lists chart, values file, release)`);
