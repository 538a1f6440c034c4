/**
 * Refreshes modules/helm-addon/chart-keys/<chart>.json, the key tree of a pinned chart's values.yaml
 * that the tests hold every add-on's values to. Needs internet (raw.githubusercontent.com and
 * api.github.com), or give the file and its commit from a local checkout:
 *
 *   npx tsx tools/chart-keys/refresh.ts metrics-server 3.13.1
 *   npx tsx tools/chart-keys/refresh.ts metrics-server 3.13.1 --from values.yaml --commit <sha>
 *
 * Run it whenever platform.charts.<chart>.version changes in config/ (a test fails until then).
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { keyTree, type ChartKeysFile } from "./keys";
import { CHART_SOURCES } from "./sources";

export const CHART_KEYS_DIR = path.resolve(__dirname, "..", "..", "modules", "helm-addon", "chart-keys");

async function main(argv: string[]): Promise<void> {
  const [chart, version] = argv;
  const option = (name: string) => {
    const i = argv.indexOf(name);
    return i < 0 ? undefined : argv[i + 1];
  };
  const source = CHART_SOURCES.find((s) => s.chart === chart);
  if (!source || !version || !/^\d+\.\d+\.\d+$/.test(version)) {
    throw new Error(`usage: refresh.ts <${CHART_SOURCES.map((s) => s.chart).join("|")}> <version> [--from <values.yaml> --commit <sha>]`);
  }
  const tag = source.tag(version);
  let text: string;
  let commit: string | undefined = option("--commit");
  const from = option("--from");
  if (from) {
    if (!commit || !/^[0-9a-f]{40}$/.test(commit)) throw new Error("--from needs --commit <the 40-hex commit of the tag>");
    text = fs.readFileSync(from, "utf8");
  } else {
    const raw = await fetch(`https://raw.githubusercontent.com/${source.repository}/${tag}/${source.path}`);
    if (!raw.ok) throw new Error(`${source.repository}@${tag}:${source.path}: HTTP ${raw.status}`);
    text = await raw.text();
    const api = await fetch(`https://api.github.com/repos/${source.repository}/commits/${tag}`, { headers: { accept: "application/vnd.github.sha" } });
    if (!api.ok) throw new Error(`commit of ${source.repository}@${tag}: HTTP ${api.status}`);
    commit = (await api.text()).trim();
  }
  const defaults = parse(text);
  if (typeof defaults !== "object" || defaults === null || Array.isArray(defaults)) throw new Error(`${source.path} of ${tag} is not a YAML mapping`);
  const file: ChartKeysFile = {
    chart: source.chart,
    version,
    source: { repository: source.repository, tag, commit: commit!, path: source.path, sha256: createHash("sha256").update(text).digest("hex") },
    keys: keyTree(defaults),
  };
  const out = path.join(CHART_KEYS_DIR, `${source.chart}.json`);
  fs.writeFileSync(out, `${JSON.stringify(file, null, 2)}\n`);
  process.stdout.write(`wrote ${path.relative(process.cwd(), out)} (${source.repository}@${tag}, ${commit})\n`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: Error) => {
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  });
}
