/**
 * `npm run audit [-- --dir cdktf.out] [--out <file>] [--strict]`: writes the
 * audit report (default <dir>/AUDIT.md) of the synthesized stacks. Run
 * `npm run synth` first. Exit 0 unless the stacks cannot be read, or --strict
 * and an error-level rule fails (the policy tests are where rules are enforced).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { evaluate } from "../policy/engine";
import { RULES } from "../policy/rules";
import { SUPPRESSIONS } from "../policy/suppressions";
import { loadSynthApp } from "../synth/app";
import { renderAudit } from "./report";
import { roleActionSummaries } from "../iam/action-count";

export async function main(argv: readonly string[], io: { out(l: string): void; err(l: string): void }): Promise<number> {
  const args = argv.filter((a) => a !== "--");
  const value = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const known = new Set(["--dir", "--out", "--strict"]);
  const unknown = args.filter((a, i) => a.startsWith("-") && !known.has(a) && !(i > 0 && ["--dir", "--out"].includes(args[i - 1]!)));
  if (unknown.length > 0 || (args.includes("--dir") && !value("--dir")) || (args.includes("--out") && !value("--out"))) {
    io.err("usage: npm run audit -- [--dir cdktf.out] [--out <file>] [--strict]");
    return 2;
  }
  const dir = value("--dir") ?? "cdktf.out";
  const file = value("--out") ?? path.join(dir, "AUDIT.md");
  try {
    const app = loadSynthApp(dir);
    const verdicts = evaluate(app, RULES, SUPPRESSIONS);
    const roles = await roleActionSummaries(app);
    fs.writeFileSync(file, renderAudit(app, verdicts, { source: dir, rules: RULES, roles }));
    const n = (s: string) => verdicts.filter((v) => v.status === s).length;
    io.out(`wrote ${file}: ${app.stacks.size} stacks, ${app.resources.length} resources; ${n("fail")} failing, ${n("warn")} warnings, ${n("suppressed")} suppressed, ${n("pass")} passing`);
    for (const v of verdicts.filter((x) => x.status === "fail")) io.err(`  fail ${v.address}: ${v.rule}: ${v.message}`);
    return args.includes("--strict") && n("fail") > 0 ? 1 : 0;
  } catch (e) {
    io.err(`audit: ${(e as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2), {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
  }).then((code) => (process.exitCode = code));
}
