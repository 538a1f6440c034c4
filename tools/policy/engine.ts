import type { SynthApp, SynthResource } from "../synth/app";
import { localAddress } from "./helpers";
import type { Rule, RuleContext, Suppression, Verdict } from "./types";

/** A suppression without a reason, or for a rule that does not exist. */
export class SuppressionError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid policy suppressions:\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.name = "SuppressionError";
  }
}

/** The shortest reason accepted: a word or two is not a reason. */
export const MIN_REASON_LENGTH = 10;

/**
 * Suppressions written on the resource itself, under the Terraform JSON comment
 * key: `"//": { "suppressions": [{ "rule": "...", "reason": "..." }] }` (see
 * suppress.ts). Terraform ignores "//" properties.
 */
export function inlineSuppressions(resource: SynthResource): Suppression[] {
  const entries = resource.config["//"]?.suppressions;
  return Array.isArray(entries) ? entries.map((e: any) => ({ rule: String(e?.rule ?? ""), address: resource.address, reason: String(e?.reason ?? "").trim() })) : [];
}

function matcher(pattern: string): RegExp {
  return new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
}

/** Every problem of a set of suppressions: unknown rule, missing or too short reason. */
export function suppressionProblems(suppressions: readonly Suppression[], rules: readonly Rule[]): string[] {
  const ids = new Set(rules.map((r) => r.id));
  return suppressions.flatMap((s) => [
    ...(ids.has(s.rule) ? [] : [`${s.address}: suppression of unknown rule "${s.rule}"`]),
    ...(s.reason.trim().length >= MIN_REASON_LENGTH ? [] : [`${s.address}: suppression of ${s.rule} needs a reason (${MIN_REASON_LENGTH}+ characters saying why the exception is safe)`]),
  ]);
}

/** The context rules see for the resources of one stack. */
export function stackContext(app: SynthApp, stack: string): RuleContext {
  const resources = app.resources.filter((r) => r.stack === stack);
  const dataSources = app.dataSources.filter((r) => r.stack === stack);
  const text = new Map<SynthResource, string>();
  const textOf = (r: SynthResource) => {
    let t = text.get(r);
    if (t === undefined) {
      const { "//": _comment, ...config } = r.config;
      t = JSON.stringify(config);
      text.set(r, t);
    }
    return t;
  };
  const byLocal = new Map([...resources, ...dataSources].map((r) => [localAddress(r), r]));
  return {
    resources: (type) => resources.filter((r) => r.type === type),
    dataSources: (type) => dataSources.filter((r) => r.type === type),
    referencing: (target, type) => {
      const needle = `${localAddress(target)}.`;
      return resources.filter((r) => r.type === type && r !== target && textOf(r).includes(needle));
    },
    resolve: (expression) => {
      if (typeof expression !== "string") return undefined;
      const m = /\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)[.}[]/.exec(expression);
      return m ? byLocal.get(m[1]!) : undefined;
    },
  };
}

/**
 * Runs every rule on every resource of the types it applies to. A failing
 * check covered by a suppression (given, or written on the resource) becomes
 * "suppressed" with its reason; a failing warning-level rule is "warn".
 * Throws SuppressionError when a suppression lacks a reason or names no rule.
 */
export function evaluate(app: SynthApp, rules: readonly Rule[], suppressions: readonly Suppression[] = []): Verdict[] {
  const all = [...suppressions, ...app.resources.flatMap(inlineSuppressions)];
  const problems = suppressionProblems(all, rules);
  if (problems.length > 0) throw new SuppressionError(problems);
  const compiled = all.map((s) => ({ ...s, re: matcher(s.address) }));
  const contexts = new Map<string, RuleContext>();
  const verdicts: Verdict[] = [];
  for (const resource of app.resources) {
    const applicable = rules.filter((r) => r.appliesTo.includes(resource.type));
    if (applicable.length === 0) continue;
    let context = contexts.get(resource.stack);
    if (!context) contexts.set(resource.stack, (context = stackContext(app, resource.stack)));
    for (const rule of applicable) {
      const result = rule.check(resource, context);
      const base = { rule: rule.id, category: rule.category, level: rule.level, address: resource.address, stack: resource.stack, type: resource.type, message: result.message };
      if (result.status !== "fail") {
        verdicts.push({ ...base, status: result.status });
        continue;
      }
      const suppression = compiled.find((s) => s.rule === rule.id && s.re.test(resource.address));
      if (suppression) verdicts.push({ ...base, status: "suppressed", reason: suppression.reason });
      else verdicts.push({ ...base, status: rule.level === "error" ? "fail" : "warn" });
    }
  }
  return verdicts;
}

/** Resource types of the app that no rule checks. */
export function uncheckedTypes(app: SynthApp, rules: readonly Rule[]): string[] {
  const checked = new Set(rules.flatMap((r) => r.appliesTo));
  return [...new Set(app.resources.map((r) => r.type))].filter((t) => !checked.has(t)).sort();
}
