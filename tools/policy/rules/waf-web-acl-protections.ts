import { block, blocks, fail, pass } from "../helpers";
import type { Rule } from "../types";

const REQUIRED_GROUPS = ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"];

export const rule: Rule = {
  id: "waf-web-acl-protections",
  category: "hardening",
  level: "error",
  description: "Every WAF web ACL has AWS's common, known-bad-inputs and IP-reputation rule groups, a rate-based rule, metrics and sampling on every rule, and a logging configuration.",
  appliesTo: ["aws_wafv2_web_acl"],
  check(resource, context) {
    const rules = blocks(resource.config.rule);
    const groups = rules.map((r) => block(block(r.statement)?.managed_rule_group_statement)).filter((g) => g?.vendor_name === "AWS").map((g) => g!.name);
    const missing = REQUIRED_GROUPS.filter((g) => !groups.includes(g));
    if (missing.length > 0) return fail(`missing AWS managed rule groups: ${missing.join(", ")}`);
    if (!rules.some((r) => block(block(r.statement)?.rate_based_statement))) return fail("no rate-based rule: one client can flood the origin");
    const dark = [resource.config, ...rules].filter((r) => {
      const v = block(r.visibility_config);
      return v?.cloudwatch_metrics_enabled !== true || v?.sampled_requests_enabled !== true;
    });
    if (dark.length > 0) return fail(`metrics or sampled requests off on ${dark.length} rule(s) or the ACL`);
    if (context.referencing(resource, "aws_wafv2_web_acl_logging_configuration").length === 0) return fail("no aws_wafv2_web_acl_logging_configuration: blocked requests leave no trace");
    return pass(`${groups.length} managed rule groups, a rate limit, metrics and logging`);
  },
};
