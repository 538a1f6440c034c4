import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/**
 * Synthesizes every shipped environment once, the way `npm run synth` does
 * (bundle and all), into a temporary folder that the policy tests read.
 */
export default function globalSetup(): void {
  const root = path.resolve(__dirname, "..", "..");
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "upskill-synth-"));
  const target = path.join(outdir, "cdktf.out");
  const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: target };
  delete env.UPSKILL_ENVIRONMENTS; // the shipped environments, all of them
  delete env.UPSKILL_CONFIG_DIR;
  const run = spawnSync(process.execPath, [path.join(root, "scripts", "synth.mjs")], { cwd: root, encoding: "utf8", env });
  if (run.status !== 0) throw new Error(`whole-app synthesis failed:\n${run.stdout}\n${run.stderr}`);
  process.env.UPSKILL_TEST_SYNTH_DIR = target;
}
