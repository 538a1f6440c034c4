/**
 * The pull request's plan comment: one markdown comment summarizing every
 * stack's adds, changes, replacements and destroys.
 *
 *   tsx tools/ci/plan-comment.ts summarize --stack <id> --plan <plan.json> --out <summary.json>
 *   tsx tools/ci/plan-comment.ts summarize --stack <id> --failed --out <summary.json>
 *   tsx tools/ci/plan-comment.ts render --manifest cdktf.out/manifest.json --summaries <dir> [--environment <env>] [--out comment.md] [--run-url <url>]
 *
 * A stack that waits for an upstream (tools/ci/waits-for.ts check --summary)
 * gets a `waiting` summary and its row says what it waits for and why.
 *
 * Each plan job writes small summaries (counts and addresses, never the plan's
 * values, which may hold secrets); the comment job renders them all. The
 * comment starts with MARKER so the workflow updates it instead of adding one
 * per push. UPSKILL_ALLOW_DATA_LOSS=true (the `allow-data-loss` label) marks
 * data loss as allowed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { OVERRIDE_LABEL, describeFinding, overrideIsSet } from "../plan-guard/guard";
import { parsePlan } from "../plan-guard/plan";
import { summarizePlan, type PlanSummary } from "../plan-guard/summary";
import { readManifest } from "../synth/manifest";
import { environments, environmentStacks } from "./stack-order";
import { optionValue } from "./cli-options";

/** First line of the comment; the workflow finds its earlier comment by it. */
export const MARKER = "<!-- upskill-plan-summary -->";
/** GitHub refuses comments longer than 65,536 characters. */
export const MAX_COMMENT_CHARS = 65_000;

/** What one plan job reports for one stack. */
export type StackResult =
  | { readonly stack: string; readonly status: "planned"; readonly summary: PlanSummary }
  | { readonly stack: string; readonly status: "failed" }
  /** Not planned in this run: an upstream must be applied first (tools/ci/waits-for.ts). */
  | { readonly stack: string; readonly status: "waiting"; readonly waitsFor: string; readonly reason: string };

export interface CommentInput {
  readonly environments: ReadonlyArray<{
    readonly name: string;
    /** In dependency order. */
    readonly stacks: readonly string[];
    /** Stacks CI leaves to a person (local state). */
    readonly skipped: readonly string[];
  }>;
  readonly results: ReadonlyMap<string, StackResult>;
  readonly allowDataLoss: boolean;
  readonly runUrl?: string;
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const count = (n: number, mark = "") => (n === 0 ? "0" : `**${n}**${mark}`);

/** The comment's markdown. */
export function renderComment(input: CommentInput): string {
  const lines: string[] = [MARKER, "## Terraform plan", ""];
  const all = [...input.results.values()];
  const planned = all.filter((r): r is Extract<StackResult, { status: "planned" }> => r.status === "planned");
  const dataLoss = planned.flatMap((r) => r.summary.dataLoss.map((f) => ({ ...f, source: r.stack })));
  const expected = input.environments.flatMap((e) => e.stacks);
  const missing = expected.filter((s) => !input.results.has(s));
  const failed = all.filter((r) => r.status === "failed").map((r) => r.stack);

  if (dataLoss.length > 0) {
    lines.push(
      input.allowDataLoss
        ? `> [!WARNING]\n> **Data loss allowed** by the \`${OVERRIDE_LABEL}\` label: ${dataLoss.length} stateful resource(s) will be destroyed or replaced.`
        : `> [!CAUTION]\n> **Blocked: ${dataLoss.length} stateful resource(s) would be destroyed or replaced.** If intended, add the \`${OVERRIDE_LABEL}\` label and re-run the workflow.`,
      "",
    );
    for (const f of dataLoss) lines.push(`- \`${cell(describeFinding(f))}\``);
    lines.push("");
  }
  if (failed.length + missing.length > 0) {
    lines.push(`> [!WARNING]\n> Not planned: ${[...failed.map((s) => `${s} (plan failed)`), ...missing.map((s) => `${s} (no result: job failed or cancelled)`)].join(", ")}.`, "");
  }

  const waiting = all.filter((r): r is Extract<StackResult, { status: "waiting" }> => r.status === "waiting");
  if (waiting.length > 0) {
    lines.push(`> [!NOTE]\n> Waiting, not planned yet: ${waiting.map((r) => `${r.stack} (waits for ${r.waitsFor})`).join(", ")}. The deploy workflow plans each one, for approval, once its upstream is applied.`, "");
  }

  for (const env of input.environments) {
    lines.push(`### ${env.name}`, "", "| stack | add | change | replace | destroy | notes |", "| --- | ---: | ---: | ---: | ---: | --- |");
    // Local-state stacks (bootstrap) come first in deploy order.
    for (const stack of env.skipped) lines.push(`| ${stack} | – | – | – | – | local state: planned and applied by hand |`);
    for (const stack of env.stacks) {
      const r = input.results.get(stack);
      if (!r) lines.push(`| ${stack} | – | – | – | – | no result |`);
      else if (r.status === "failed") lines.push(`| ${stack} | – | – | – | – | :x: plan failed (see the job log) |`);
      else if (r.status === "waiting") lines.push(`| ${stack} | – | – | – | – | :hourglass: waits for ${cell(r.waitsFor)}: ${cell(r.reason)} |`);
      else {
        const s = r.summary;
        const notes = [
          s.dataLoss.length > 0 ? `${input.allowDataLoss ? ":warning:" : ":no_entry:"} ${s.dataLoss.length} stateful` : "",
          s.imports ? `${s.imports} import` : "",
          s.moves ? `${s.moves} moved` : "",
          s.forgets ? `${s.forgets} forget` : "",
          s.adds + s.changes + s.replacements + s.destroys + s.imports + s.moves + s.forgets === 0 ? "no changes" : "",
        ].filter(Boolean);
        lines.push(`| ${stack} | ${count(s.adds)} | ${count(s.changes)} | ${count(s.replacements, " :warning:")} | ${count(s.destroys, " :warning:")} | ${notes.join(", ")} |`);
      }
    }
    lines.push("");
  }

  const destructive = planned.filter((r) => r.summary.replaced.length + r.summary.destroyed.length > 0);
  if (destructive.length > 0) {
    lines.push("<details><summary>Replaced and destroyed resources</summary>", "");
    for (const r of destructive) {
      for (const a of r.summary.replaced) lines.push(`- \`${r.stack}\` replace \`${cell(a)}\``);
      for (const a of r.summary.destroyed) lines.push(`- \`${r.stack}\` destroy \`${cell(a)}\``);
    }
    lines.push("", "</details>", "");
  }
  lines.push(
    "Each stack is planned against the applied state of the stacks before it. A stack whose upstream is not applied yet, or which reads an output the upstream's change adds or changes, waits: the deploy workflow plans it in a later round, once that upstream is applied." +
      (input.runUrl ? ` Full plans: [workflow run](${input.runUrl}).` : ""),
  );

  let text = lines.join("\n");
  if (text.length > MAX_COMMENT_CHARS) {
    const note = `\n\n… cut at ${MAX_COMMENT_CHARS} characters${input.runUrl ? `; the full plans are in the [workflow run](${input.runUrl})` : ""}.`;
    text = text.slice(0, MAX_COMMENT_CHARS - note.length) + note;
  }
  return text;
}

/** Reads every `*.json` summary a plan job wrote. */
export function readResults(dir: string): Map<string, StackResult> {
  const results = new Map<string, StackResult>();
  if (!fs.existsSync(dir)) return results;
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
    const r = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as StackResult;
    if (typeof r?.stack !== "string" || !["planned", "failed", "waiting"].includes(r.status)) throw new Error(`${path.join(dir, f)}: not a stack result`);
    results.set(r.stack, r);
  }
  return results;
}


export function main(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, io: { out(l: string): void; err(l: string): void }): number {
  const args = [...argv];
  const usage =
    "usage: plan-comment.ts summarize --stack <id> (--plan <plan.json> | --failed) --out <file>\n" +
    "       plan-comment.ts render --manifest <manifest.json> --summaries <dir> [--environment <env>] [--out <file>] [--run-url <url>]";
  try {
    if (args[0] === "summarize") {
      const stack = optionValue(args, "--stack");
      const out = optionValue(args, "--out");
      const planFile = optionValue(args, "--plan");
      if (!stack || !out || (!planFile && !args.includes("--failed"))) {
        io.err(usage);
        return 2;
      }
      const result: StackResult = planFile
        ? { stack, status: "planned", summary: summarizePlan(parsePlan(fs.readFileSync(planFile, "utf8"), planFile), stack) }
        : { stack, status: "failed" };
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
      return 0;
    }
    if (args[0] === "render") {
      const manifestFile = optionValue(args, "--manifest");
      const summaries = optionValue(args, "--summaries");
      if (!manifestFile || !summaries) {
        io.err(usage);
        return 2;
      }
      const manifest = readManifest(manifestFile);
      const only = optionValue(args, "--environment");
      const text = renderComment({
        environments: environments(manifest)
          .filter((name) => !only || name === only)
          .map((name) => ({ name, ...environmentStacks(manifest, name) })),
        results: readResults(summaries),
        allowDataLoss: overrideIsSet(env),
        ...(optionValue(args, "--run-url") ? { runUrl: optionValue(args, "--run-url")! } : {}),
      });
      const out = optionValue(args, "--out");
      if (out) fs.writeFileSync(out, `${text}\n`);
      else io.out(text);
      return 0;
    }
    io.err(usage);
    return 2;
  } catch (e) {
    io.err(`plan-comment: ${(e as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), process.env, {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
  });
}
