/**
 * `npm run rehearse [-- <env>...] [--dir cdktf.out] [--synth] [--jobs N] [--keep]`
 *
 * Terraform core itself validates, plans and applies every stack of the
 * synthesized app, offline, through schema-only providers (README.md,
 * "Rehearsal"). Exit 0 when every stack applied with no warning outside the
 * allow-list, 1 when any failed, 2 when the rehearsal could not start.
 *
 * --synth: synthesizes the shipped environments (and a copy of prod under
 * another name) into a temporary folder first, instead of reading --dir;
 * --drill: then the data-loss drill on the first environment's data stack
 * (drill.ts), and a check that the plan guard's hand-written fixtures have
 * the shape of the plans Terraform wrote in it;
 * --process-per-plugin: one Node process per plugin launch instead of the
 * in-process provider daemon (slower; the same providers);
 * --if-terraform: the form `npm test` runs: on a machine without Terraform
 * it says loudly that it skipped (under CI=true it fails instead).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { unknownKeys } from "../plan-guard/plan-shape";
import { runDrill } from "./drill";
import { rehearse, RehearsalSetupError, type StackResult } from "./rehearse";
import { formatDiagnostics, formatTables } from "./report";
import { checkTerraformVersion } from "./terraform";
import { MissingBindingsError } from "../schema-provider/store";

const ROOT = path.resolve(__dirname, "..", "..");
/** The name of the environment generated from prod: proves a new environment, not just the shipped ones, plans. */
export const GENERATED_ENVIRONMENT = "rehearsal";

interface Args {
  environments: string[];
  dir: string;
  synth: boolean;
  ifTerraform: boolean;
  keep: boolean;
  drill: boolean;
  processPerPlugin: boolean;
  jobs?: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { environments: [], dir: path.join(ROOT, "cdktf.out"), synth: false, ifTerraform: false, keep: false, drill: false, processPerPlugin: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--dir") args.dir = path.resolve(argv[++i] ?? "");
    else if (a === "--synth") args.synth = true;
    else if (a === "--if-terraform") args.ifTerraform = true;
    else if (a === "--keep") args.keep = true;
    else if (a === "--drill") args.drill = true;
    else if (a === "--process-per-plugin") args.processPerPlugin = true;
    else if (a === "--jobs") args.jobs = Number(argv[++i]);
    else if (a.startsWith("-")) throw new RehearsalSetupError(`unknown option ${a}; usage: npm run rehearse [-- <env>...] [--dir cdktf.out] [--synth] [--drill] [--jobs N] [--keep] [--process-per-plugin]`);
    else args.environments.push(a);
  }
  if (args.jobs !== undefined && !(Number.isInteger(args.jobs) && args.jobs > 0)) throw new RehearsalSetupError("--jobs takes a positive whole number");
  return args;
}

/** The shipped config plus prod under another name, synthesized into a temporary folder. */
function synthesizeForRehearsal(): string {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "upskill-rehearsal-synth-"));
  const configDir = path.join(base, "config");
  fs.mkdirSync(configDir);
  for (const f of fs.readdirSync(path.join(ROOT, "config"))) if (f.endsWith(".yaml")) fs.copyFileSync(path.join(ROOT, "config", f), path.join(configDir, f));
  fs.copyFileSync(path.join(ROOT, "config", "prod.yaml"), path.join(configDir, `${GENERATED_ENVIRONMENT}.yaml`));
  const outdir = path.join(base, "cdktf.out");
  const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: outdir, UPSKILL_CONFIG_DIR: configDir };
  delete env.UPSKILL_ENVIRONMENTS;
  const run = spawnSync(process.execPath, [path.join(ROOT, "scripts", "synth.mjs")], { cwd: ROOT, encoding: "utf8", env });
  if (run.status !== 0) throw new RehearsalSetupError(`synthesis for the rehearsal failed:\n${run.stdout}${run.stderr}`);
  return outdir;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const tf = checkTerraformVersion(ROOT);
  if (!tf.ok) {
    const what = tf.found ? `terraform ${tf.found} is older than ${tf.required} (.terraform-version)` : "terraform is not on PATH";
    const how = `install Terraform ${tf.required} or later in the same major version (tfenv install / tfswitch read .terraform-version, or the release zip from HashiCorp)`;
    if (args.ifTerraform && process.env.CI !== "true") {
      console.error(`\n!!!!!! REHEARSAL SKIPPED: ${what}. Terraform has not read the stacks; ${how} and run npm test again. !!!!!!\n`);
      return 0;
    }
    throw new RehearsalSetupError(`${what}: ${how}`);
  }
  const dir = args.synth ? synthesizeForRehearsal() : args.dir;
  const manifestFile = path.join(dir, "manifest.json");
  if (!fs.existsSync(manifestFile)) throw new RehearsalSetupError(`${manifestFile} not found: run \`npm run synth\` first`);
  console.log(`rehearsal: terraform ${tf.found}, stacks from ${manifestFile}`);
  const result = await rehearse({
    manifestFile,
    environments: args.environments,
    ...(args.jobs ? { jobs: args.jobs } : {}),
    plugins: args.processPerPlugin ? "process" : "daemon",
    keepPluginsRunning: args.drill,
    onStack: (s) => console.log(`  ${s.ok ? "ok  " : "FAIL"} ${s.id}: ${s.result} (${s.seconds.toFixed(1)} s)`),
  });
  const diagnostics = formatDiagnostics(result);
  if (diagnostics.trim()) console.log(`\n## Terraform's diagnostics\n\n${diagnostics}`);
  console.log(`\n${formatTables(result)}`);
  const failed = result.stacks.filter((s) => !s.ok);
  console.log(`rehearsal: ${result.stacks.length - failed.length} of ${result.stacks.length} stacks applied cleanly in ${result.seconds.toFixed(1)} s`);
  const drillOk = args.drill ? await drill(result.stacks) : true;
  await result.workspace.close();
  if (failed.length || !drillOk || args.keep) console.log(`workspace kept for inspection: ${result.workspace.dir}`);
  else fs.rmSync(result.workspace.dir, { recursive: true, force: true });
  if (args.synth) fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  return failed.length || !drillOk ? 1 : 0;
}

/** The data-loss drill on the first environment's applied data stack, then the fixtures' shape. */
async function drill(stacks: readonly StackResult[]): Promise<boolean> {
  const target = stacks.find((s) => s.id.endsWith("-data") && s.ok && s.prepared);
  if (!target?.prepared) {
    console.log("data-loss drill: FAILED, no data stack was applied");
    return false;
  }
  const started = Date.now();
  const results = await runDrill(target.prepared);
  console.log(`\n### data-loss drill on ${target.id} (${((Date.now() - started) / 1000).toFixed(1)} s)\n\n| plan | plan-guard | result |\n|---|---|---|`);
  for (const r of results) console.log(`| ${r.name} | ${r.detail} | ${r.ok ? "ok" : "FAILED"} |`);
  const real = results.flatMap((r) => (r.planJson ? [r.planJson] : []));
  const fixtures = path.join(ROOT, "__tests__", "fixtures", "plans");
  const mismatched = fs
    .readdirSync(fixtures)
    .filter((f) => f.endsWith(".json"))
    .map((f) => ({ f, keys: unknownKeys(JSON.parse(fs.readFileSync(path.join(fixtures, f), "utf8")), real) }))
    .filter((x) => x.keys.length > 0);
  for (const m of mismatched) console.log(`plan-guard fixture ${m.f} has keys Terraform ${real[0]?.terraform_version} does not write: ${m.keys.join(", ")}`);
  if (!mismatched.length) console.log(`plan-guard fixtures: every key is one Terraform ${real[0]?.terraform_version} writes (format ${real[0]?.format_version})`);
  return results.every((r) => r.ok) && mismatched.length === 0 && real.length === results.length;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    if (e instanceof RehearsalSetupError || e instanceof MissingBindingsError) {
      console.error(`rehearsal: ${e.message}`);
      process.exit(2);
    }
    console.error(e);
    process.exit(2);
  },
);
