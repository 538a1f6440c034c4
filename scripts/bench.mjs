// `npm run bench`: how fast the app synthesizes and the tests run, on this machine.
//  - full synthesis of every shipped environment, from the prebuilt bundle (what `cdktf synth` runs)
//    and through tsx (the alternative), as wall-time median and peak memory;
//  - the floor: a Node process that only loads cdktf and the provider modules the app imports;
//  - how synthesis grows with the number of environments (1, 3, 12 copies of prod);
//  - the typecheck, the rehearsal (Terraform core over the shipped environments) and the jest suite.
// BENCH_RUNS sets the runs per measurement (default 5); BENCH_SKIP_TESTS=1 skips the suite and the rehearsal.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { buildBundle, ROOT } from "./bundle.mjs";

const APP = path.join(ROOT, "scripts", "run-app.mjs");

const require = createRequire(import.meta.url);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "upskill-bench-"));
const probe = path.join(ROOT, "scripts", "bench-probe.cjs");

function measure(label, args, { env = {}, runs = RUNS } = {}) {
  const times = [];
  const rss = [];
  for (let i = 0; i < runs; i++) {
    const rssFile = path.join(tmp, `rss-${i}`);
    const outdir = path.join(tmp, `out-${i}`);
    const start = process.hrtime.bigint();
    const run = spawnSync(args[0], args.slice(1), {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, CDKTF_OUTDIR: outdir, BENCH_RSS_FILE: rssFile, NODE_OPTIONS: `--require ${probe}`, ...env },
    });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (run.status !== 0) throw new Error(`${label} failed:\n${run.stdout}\n${run.stderr}`);
    times.push(seconds);
    // The largest process of the run (tsx runs the app in a child process).
    const peaks = fs.readdirSync(tmp).filter((f) => f.startsWith(`rss-${i}.`)).map((f) => Number(fs.readFileSync(path.join(tmp, f), "utf8")) / 1024);
    if (peaks.length) rss.push(Math.max(...peaks));
    for (const f of fs.readdirSync(tmp).filter((f) => f.startsWith(`rss-${i}.`))) fs.rmSync(path.join(tmp, f));
    fs.rmSync(outdir, { recursive: true, force: true });
  }
  return { label, median: median(times), min: Math.min(...times), peakMb: rss.length ? Math.max(...rss) : NaN, runs };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function sources(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith(".ts") ? [p] : [];
  });
}

/** A script that loads exactly what the app loads from cdktf and the providers, and does nothing else. */
function writeFloor() {
  const files = ["main.ts", ...["config", "stacks", "modules"].flatMap((d) => sources(path.join(ROOT, d)))];
  const modules = new Set(["cdktf", "constructs"]);
  for (const f of files) {
    for (const m of fs.readFileSync(f, "utf8").matchAll(/from\s+["'](@cdktf\/provider-[a-z]+\/lib\/[a-z0-9-]+)["']/g)) modules.add(m[1]);
  }
  const floor = path.join(tmp, "floor.cjs");
  const req = (m) => JSON.stringify(require.resolve(m, { paths: [ROOT] }));
  fs.writeFileSync(floor, [...modules].map((m) => `require(${req(m)});`).join("\n"));
  return { floor, count: modules.size };
}

/** A config folder with `count` copies of prod under other names. */
function copiesOfProd(count) {
  const dir = path.join(tmp, `envs-${count}`);
  fs.mkdirSync(dir);
  const prod = fs.readFileSync(path.join(ROOT, "config", "prod.yaml"), "utf8");
  // A production environment's deploy role trusts exactly its own GitHub environment (rule deployEnvironmentsGate).
  if (!/^  deployEnvironments: \[prod\]$/m.test(prod)) throw new Error("bench: config/prod.yaml no longer has `  deployEnvironments: [prod]`; update copiesOfProd");
  for (let i = 1; i <= count; i++) {
    const name = `prod${String(i).padStart(2, "0")}`;
    fs.writeFileSync(path.join(dir, `${name}.yaml`), `production: true\n${prod.replace(/^  deployEnvironments: \[prod\]$/m, `  deployEnvironments: [${name}]`)}`);
  }
  return dir;
}

function timeCommand(label, cmd, args) {
  const start = process.hrtime.bigint();
  const run = spawnSync(cmd, args, { cwd: ROOT, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0" } });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const summary = `${run.stderr}${run.stdout}`.split("\n").find((l) => /^Tests:|^rehearsal: \d+ of/.test(l)) ?? "";
  return { label, seconds, ok: run.status === 0, summary: summary.trim() };
}

await buildBundle();
const manifestEnvs = fs.readdirSync(path.join(ROOT, "config")).filter((f) => f.endsWith(".yaml")).length;
const { floor, count } = writeFloor();

const rows = [];
const floorRow = measure(`floor: node loading cdktf + ${count - 2} provider modules`, [process.execPath, floor]);
// A first run writes the bundle's code cache, as the first synth after a change does.
measure("warm-up", [process.execPath, APP], { runs: 1 });
const bundleRow = measure(`synth, ${manifestEnvs} environments, bundle (cdktf.json app)`, [process.execPath, APP]);
const tsxRow = measure(`synth, ${manifestEnvs} environments, tsx main.ts`, [path.join(ROOT, "node_modules", ".bin", "tsx"), "main.ts"], { runs: Math.min(RUNS, 3) });
rows.push(floorRow, bundleRow, tsxRow);

const scaling = [1, 3, 12].map((n) =>
  measure(`synth, ${n} copies of prod, bundle`, [process.execPath, APP], { env: { UPSKILL_CONFIG_DIR: copiesOfProd(n) }, runs: Math.min(RUNS, 3) }),
);

const stackCount = (() => {
  const out = path.join(tmp, "count");
  spawnSync(process.execPath, [APP], { cwd: ROOT, env: { ...process.env, CDKTF_OUTDIR: out } });
  const manifest = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8"));
  let resources = 0;
  for (const s of Object.values(manifest.stacks)) {
    const json = JSON.parse(fs.readFileSync(path.join(out, s.synthesizedStackPath), "utf8"));
    for (const byName of Object.values(json.resource ?? {})) resources += Object.keys(byName).length;
  }
  return { stacks: Object.keys(manifest.stacks).length, resources };
})();

const fmt = (r) => `| ${r.label} | ${r.median.toFixed(2)} s | ${r.min.toFixed(2)} s | ${r.peakMb.toFixed(0)} MB | ${(r.median / floorRow.median).toFixed(2)}x | ${r.runs} |`;
const lines = [
  `Machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}. App: ${stackCount.stacks} stacks, ${stackCount.resources} resources.`,
  "",
  "| measurement | median | min | peak memory | vs floor | runs |",
  "| --- | --- | --- | --- | --- | --- |",
  ...rows.map(fmt),
  ...scaling.map(fmt),
  "",
  `Scaling: 12 environments take ${(scaling[2].median / scaling[1].median).toFixed(2)}x the time of 3 (${(scaling[2].median / 12).toFixed(3)} s per environment at 12, ${(scaling[1].median / 3).toFixed(3)} s at 3).`,
];
if (!process.env.BENCH_SKIP_TESTS) {
  const tc = timeCommand("typecheck (tsc --noEmit, TypeScript 7)", path.join(ROOT, "node_modules", ".bin", "tsc"), ["--noEmit", "-p", "tsconfig.json"]);
  // The three shipped environments, from a fresh synthesis (the goal: under 90 s on 2 cores).
  const synthDir = path.join(tmp, "rehearsal-synth");
  spawnSync(process.execPath, [APP], { cwd: ROOT, env: { ...process.env, CDKTF_OUTDIR: synthDir } });
  const rehearsal = timeCommand(`rehearsal, ${manifestEnvs} shipped environments (npm run rehearse)`, path.join(ROOT, "node_modules", ".bin", "tsx"), ["tools/rehearse/cli.ts", "--dir", synthDir]);
  const jest = timeCommand("test suite (jest + @swc/jest)", path.join(ROOT, "node_modules", ".bin", "jest"), ["--silent"]);
  lines.push("", "| step | wall time | result |", "| --- | --- | --- |");
  for (const t of [tc, rehearsal, jest]) lines.push(`| ${t.label} | ${t.seconds.toFixed(2)} s | ${t.ok ? "ok" : "FAILED"} ${t.summary} |`);
}
console.log(lines.join("\n"));
fs.rmSync(tmp, { recursive: true, force: true });
