/**
 * `npm run plan-guard -- <plan.json>...`: fails when a plan would destroy or
 * replace a stateful resource (see tools/stateful-types.ts), naming each one,
 * unless UPSKILL_ALLOW_DATA_LOSS=true (CI sets it from the pull request's
 * `allow-data-loss` label); then it lists them as allowed.
 *
 * Exit codes: 0 nothing stateful destroyed (or allowed), 1 data loss blocked,
 * 2 bad usage or a file that is not a Terraform JSON plan.
 */
import * as fs from "node:fs";
import { describeFinding, OVERRIDE_LABEL, OVERRIDE_VARIABLE, overrideIsSet, type DataLossFinding } from "./guard";
import { parsePlan, PlanFormatError } from "./plan";
import { describeSummary, summarizePlan } from "./summary";

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

const USAGE = `usage: npm run plan-guard -- <plan.json>...
  Each file is the output of \`terraform show -json <planfile>\`.
  Fails (exit 1) when a plan destroys or replaces a stateful resource,
  unless ${OVERRIDE_VARIABLE}=true (the \`${OVERRIDE_LABEL}\` pull-request label in CI).`;

export function main(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, io: Output): number {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.out(USAGE);
    return 0;
  }
  const files = argv.filter((a) => a !== "--");
  const unknown = files.filter((a) => a.startsWith("-"));
  if (unknown.length > 0 || files.length === 0) {
    io.err(unknown.length > 0 ? `plan-guard: unknown option ${unknown.join(", ")}` : "plan-guard: no plan file given");
    io.err(USAGE);
    return 2;
  }

  const findings: DataLossFinding[] = [];
  let unusable = 0;
  for (const file of files) {
    try {
      const plan = parsePlan(fs.readFileSync(file, "utf8"), file);
      if (plan.errored) {
        io.err(`${file}: the plan errored, so it is incomplete; fix the plan first`);
        unusable++;
        continue;
      }
      const summary = summarizePlan(plan, file);
      io.out(`${file}: ${describeSummary(summary)}`);
      findings.push(...summary.dataLoss);
    } catch (e) {
      const message = e instanceof PlanFormatError ? e.message : `${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
      io.err(message);
      unusable++;
    }
  }

  if (findings.length > 0) {
    const allowed = overrideIsSet(env);
    const head = allowed
      ? `plan-guard: ALLOWED by ${OVERRIDE_VARIABLE}=${env[OVERRIDE_VARIABLE]}: ${findings.length} stateful resource(s) will be destroyed or replaced:`
      : `plan-guard: ${findings.length} stateful resource(s) would be destroyed or replaced:`;
    (allowed ? io.out : io.err)(head);
    for (const f of findings) (allowed ? io.out : io.err)(`  ${describeFinding(f)}`);
    if (!allowed) {
      io.err(
        `If this is intended (data backed up or no longer needed), add the \`${OVERRIDE_LABEL}\` label to the pull request ` +
          `(it sets ${OVERRIDE_VARIABLE}=true) and re-run the plan; otherwise change the code so the resource is kept ` +
          `(a \`moved\` block for a renamed construct, or an in-place change).`,
      );
    }
    if (!allowed) return 1;
  }
  if (unusable > 0) return 2;
  if (findings.length === 0) io.out(`plan-guard: ${files.length} plan(s) checked, no stateful resource destroyed or replaced`);
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), process.env, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
}
