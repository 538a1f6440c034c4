import { evaluate } from "../../tools/policy/engine";
import { RULES } from "../../tools/policy/rules";
import { SUPPRESSIONS } from "../../tools/policy/suppressions";
import { NO_RULE_NEEDED } from "../../tools/policy/no-rule-needed";
import { synthesizedApp } from "../support/synthesized-app";

/**
 * The whole app against every baseline rule of tools/policy/rules (one rule per
 * file, each with its own compliant and non-compliant tests in __tests__/tools).
 */
describe("policy: every resource against the baselines", () => {
  const synthesized = synthesizedApp();
  const app = synthesized;
  const verdicts = evaluate(app, RULES, SUPPRESSIONS);

  test("the rules ran on the app", () => {
    expect(verdicts.filter((v) => v.status === "pass").length).toBeGreaterThan(50);
  });

  test("no error-level rule fails (each failure names the resource and the rule)", () => {
    const failures = verdicts.filter((v) => v.status === "fail").map((v) => `${v.address}: ${v.rule}: ${v.message}`);
    expect(failures).toEqual([]);
  });

  test("no warning is left unreviewed: warnings are fixed or suppressed with a reason", () => {
    const warnings = verdicts.filter((v) => v.status === "warn").map((v) => `${v.address}: ${v.rule}: ${v.message}`);
    expect(warnings).toEqual([]);
  });

  test("every suppression is still used (no stale exceptions)", () => {
    const used = new Set(verdicts.filter((v) => v.status === "suppressed").map((v) => v.rule));
    expect(SUPPRESSIONS.filter((s) => !used.has(s.rule)).map((s) => `${s.rule} @ ${s.address}`)).toEqual([]);
  });

  test("every resource type has a policy decision: checked by a rule, or listed as needing none with the reason", () => {
    const checked = new Set(RULES.flatMap((r) => r.appliesTo));
    const undecided = [...new Set(app.resources.map((r) => r.type))].filter((t) => !checked.has(t) && !(t in NO_RULE_NEEDED)).sort();
    expect(undecided).toEqual([]);
  });

  test("a type is either checked or exempted, not both, and every exemption says why", () => {
    const checked = new Set(RULES.flatMap((r) => r.appliesTo));
    expect(Object.keys(NO_RULE_NEEDED).filter((t) => checked.has(t))).toEqual([]);
    expect(Object.entries(NO_RULE_NEEDED).filter(([, why]) => why.trim().length < 10).map(([t]) => t)).toEqual([]);
  });
});
