import { execFile, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** One diagnostic as Terraform printed it, frame and all, colours removed. */
export interface Diagnostic {
  readonly severity: "error" | "warning";
  readonly summary: string;
  /** The lines exactly as Terraform wrote them. */
  readonly text: string;
  /** From "in resource \"T\" \"N\"" / "in data ..." / "in output ...", when Terraform says. */
  readonly address?: string;
  readonly line?: number;
}

export interface CommandResult {
  readonly command: string;
  readonly exitCode: number;
  readonly output: string;
  readonly diagnostics: readonly Diagnostic[];
  readonly seconds: number;
}

/**
 * Terraform frames each diagnostic in `╷ │ ╵` (only in colour mode: the
 * commands run without -no-color and the colours are stripped), which
 * delimits it from the plan around it. Returns every framed block with its
 * severity and location.
 */
export function parseDiagnostics(output: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const lines = output.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith("╷")) continue;
    const block: string[] = [lines[i]];
    let j = i + 1;
    for (; j < lines.length && !lines[j].startsWith("╵"); j++) block.push(lines[j]);
    if (j < lines.length) block.push(lines[j]);
    i = j;
    const head = block.find((l) => /^│ (Error|Warning): /.test(l));
    if (!head) continue;
    const m = head.match(/^│ (Error|Warning): (.*)$/)!;
    const body = block.join("\n");
    // JSON configuration: "in resource.aws_x.name:"; HCL: "in resource "aws_x" "name":".
    const json = body.match(/on [^\n]*? line \d+, in (resource|data|output)\.([\w-]+)(?:\.([\w-]+))?:/);
    const hcl = body.match(/on [^\n]*? line \d+, in (resource|data|output) "([^"]+)"(?: "([^"]+)")?:/);
    const where = json ?? hcl;
    const line = body.match(/on [^\n]*? line (\d+)/);
    let address: string | undefined;
    if (where) address = where[1] === "resource" ? `${where[2]}.${where[3]}` : where[1] === "data" ? `data.${where[2]}.${where[3]}` : `output.${where[2]}`;
    out.push({ severity: m[1] === "Error" ? "error" : "warning", summary: m[2].trim(), text: body, address, line: line ? Number(line[1]) : undefined });
  }
  return out;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
export const stripColour = (s: string) => s.replace(ANSI, "");

/** Runs one terraform command in `cwd`; never throws on a non-zero exit. */
export function runTerraform(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CommandResult> {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    execFile("terraform", [...args], { cwd, env, maxBuffer: 256 * 1024 * 1024, encoding: "utf8" }, (error, stdout, stderr) => {
      const output = stripColour(`${stdout}${stderr ? `\n${stderr}` : ""}`);
      const exitCode = error ? (typeof (error as NodeJS.ErrnoException).code === "number" ? ((error as unknown as { code: number }).code) : 1) : 0;
      resolve({ command: `terraform ${args.join(" ")}`, exitCode, output, diagnostics: parseDiagnostics(output), seconds: Number(process.hrtime.bigint() - started) / 1e9 });
    });
  });
}

export interface TerraformVersion {
  readonly found: string | null;
  readonly required: string;
  readonly ok: boolean;
}

/** Terraform on PATH at the minor version of `.terraform-version` or later (same major). */
export function checkTerraformVersion(root: string): TerraformVersion {
  const required = fs.readFileSync(path.join(root, ".terraform-version"), "utf8").trim();
  const run = spawnSync("terraform", ["version", "-json"], { encoding: "utf8", env: { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null", CHECKPOINT_DISABLE: "1" } });
  if (run.error || run.status !== 0) return { found: null, required, ok: false };
  const found = String(JSON.parse(run.stdout).terraform_version ?? "");
  const [fMajor, fMinor] = found.split(".").map(Number);
  const [rMajor, rMinor] = required.split(".").map(Number);
  return { found, required, ok: fMajor === rMajor && fMinor >= rMinor };
}

/** "Plan: 3 to add, 1 to change, 0 to destroy." → counts; "No changes." → zeros. */
export function planCounts(output: string): { add: number; change: number; destroy: number } | null {
  const line = output.match(/^Plan: .*$/m)?.[0];
  if (line) {
    const count = (what: string) => Number(line.match(new RegExp(`(\\d+) to ${what}`))?.[1] ?? 0);
    return { add: count("add"), change: count("change"), destroy: count("destroy") };
  }
  if (/No changes\./.test(output)) return { add: 0, change: 0, destroy: 0 };
  return null;
}
