import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { editedConfigDir } from "../support/config-files";
import { REPO_ROOT } from "../support/fixtures";

/** `npm run synth` end to end: bad input stops it before anything is written. */
function synth(env: Record<string, string>, outdir: string) {
  return spawnSync(process.execPath, [path.join(REPO_ROOT, "scripts", "synth.mjs")], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { ...process.env, CDKTF_OUTDIR: outdir, ...env },
  });
}

describe("npm run synth", () => {
  let outdir: string;
  beforeEach(() => {
    outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "upskill-out-")), "cdktf.out");
    fs.mkdirSync(outdir);
    fs.writeFileSync(path.join(outdir, "previous.txt"), "kept");
  });

  test("invalid config: every problem listed, exit 1, cdktf.out/ left as it was", () => {
    const dir = editedConfigDir("prod", [["accountId", "42"], ["network.vpcCidr", "10.0.0.7/16"]]);
    const run = synth({ UPSKILL_CONFIG_DIR: dir, UPSKILL_ENVIRONMENTS: "prod,dev" }, outdir);
    expect(run.status).toBe(1);
    const shown = path.relative(REPO_ROOT, dir);
    expect(run.stderr).toContain(`${shown}/prod.yaml: accountId: "42" — must be a 12-digit AWS account id, quoted as a string`);
    expect(run.stderr).toContain(`${shown}/prod.yaml: network.vpcCidr: "10.0.0.7/16" — has host bits set; the network address is 10.0.0.0/16`);
    expect(fs.readdirSync(outdir)).toEqual(["previous.txt"]);
    expect(fs.readdirSync(path.dirname(outdir))).toEqual(["cdktf.out"]);
  });

  test("an unknown environment name lists the known ones", () => {
    const run = synth({ UPSKILL_ENVIRONMENTS: "prod,qa" }, outdir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('UPSKILL_ENVIRONMENTS: "qa" — is not an environment of config; known environments: dev, prod, staging');
    expect(fs.readdirSync(outdir)).toEqual(["previous.txt"]);
  });

  test("a selection synthesizes only those environments and replaces cdktf.out/", () => {
    const run = synth({ UPSKILL_ENVIRONMENTS: "dev" }, outdir);
    expect(run.status).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
    const ids = Object.keys(manifest.stacks);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((id) => id.startsWith("dev-"))).toBe(true);
    expect(fs.existsSync(path.join(outdir, "previous.txt"))).toBe(false);
  });

  test("cdktf.json runs the bundled app, so `cdktf synth` and `npm run synth` agree", () => {
    const cdktf = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "cdktf.json"), "utf8"));
    expect(cdktf.app).toBe("node scripts/run-app.mjs");
    expect(cdktf.output).toBe("cdktf.out");
    expect(cdktf.terraformProviders).toEqual([]);
  });
});
