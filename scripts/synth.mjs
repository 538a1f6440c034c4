// `npm run synth`: the same output as `cdktf synth`, written atomically. The app
// runs into a temporary folder that replaces cdktf.out/ only when it succeeded,
// so a failed synthesis (for instance invalid configuration) leaves cdktf.out/ as it was.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT } from "./bundle.mjs";

const outdir = path.resolve(ROOT, process.env.CDKTF_OUTDIR ?? "cdktf.out");
const staging = `${outdir}.tmp-${process.pid}`;
fs.rmSync(staging, { recursive: true, force: true });
// The app command of cdktf.json (bundle, code cache), so both ways give the same output.
const run = spawnSync(process.execPath, [path.join(ROOT, "scripts", "run-app.mjs")], {
  cwd: ROOT,
  stdio: "inherit",
  env: { ...process.env, CDKTF_OUTDIR: staging },
});
if (run.status !== 0) {
  fs.rmSync(staging, { recursive: true, force: true });
  console.error(`synth failed; ${path.relative(ROOT, outdir)}/ was left as it was`);
  process.exit(run.status ?? 1);
}
const previous = `${outdir}.old-${process.pid}`;
if (fs.existsSync(outdir)) fs.renameSync(outdir, previous);
fs.renameSync(staging, outdir);
fs.rmSync(previous, { recursive: true, force: true });
const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
console.log(`synthesized ${Object.keys(manifest.stacks).length} stacks into ${path.relative(ROOT, outdir)}/`);
