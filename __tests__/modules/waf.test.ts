import { Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { WebAcl, BASELINE_MANAGED_RULE_GROUPS, SQL_INJECTION_RULE_GROUP, type WebAclProps } from "../../modules/waf/web-acl";
import { parseSynth, resourcesOf } from "../support/fixtures";

const base: WebAclProps = { name: "upskill-dev-regional", scope: "REGIONAL", rateLimit: 1000, logging: { retentionDays: 30, kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/logs" } };

function synth(props: Partial<WebAclProps> = {}, region?: string) {
  return Testing.synthScope((scope) => {
    const provider = region ? new AwsProvider(scope, "p", { region, alias: "p" }) : undefined;
    new WebAcl(scope, "acl", { ...base, provider, ...props });
  });
}
const aclOf = (synthOutput: string) => Object.values(resourcesOf(parseSynth(synthOutput), "aws_wafv2_web_acl"))[0];

describe("WebAcl", () => {
  test("allows by default, blocks over the rate limit per IP, then applies the baseline AWS managed groups", () => {
    const acl = aclOf(synth());
    expect(acl).toMatchObject({ name: "upskill-dev-regional", scope: "REGIONAL", default_action: { allow: {} } });
    expect(acl.rule.map((r: any) => [r.priority, r.name])).toEqual([
      [0, "rate-limit"],
      [1, "AWSManagedRulesAmazonIpReputationList"],
      [2, "AWSManagedRulesCommonRuleSet"],
      [3, "AWSManagedRulesKnownBadInputsRuleSet"],
    ]);
    expect(acl.rule[0]).toMatchObject({ action: { block: {} }, statement: { rate_based_statement: { limit: 1000, aggregate_key_type: "IP", evaluation_window_sec: 300 } } });
    for (const r of acl.rule.slice(1)) {
      expect(r.override_action).toEqual({ none: {} });
      expect(r.statement).toEqual({ managed_rule_group_statement: { vendor_name: "AWS", name: r.name } });
    }
  });

  test("metrics and sampled requests are on for the ACL and every rule", () => {
    const acl = aclOf(synth());
    for (const v of [acl.visibility_config, ...acl.rule.map((r: any) => r.visibility_config)]) {
      expect(v).toMatchObject({ cloudwatch_metrics_enabled: true, sampled_requests_enabled: true });
      expect(v.metric_name).toMatch(/^upskill-dev-regional/);
    }
  });

  test("the SQL injection group can be added for an API", () => {
    const acl = aclOf(synth({ managedRuleGroups: [...BASELINE_MANAGED_RULE_GROUPS, SQL_INJECTION_RULE_GROUP] }));
    expect(acl.rule.at(-1)).toMatchObject({ name: "AWSManagedRulesSQLiRuleSet", priority: 4 });
  });

  test("logs to an encrypted aws-waf-logs- group with retention, redacting credentials", () => {
    const json = parseSynth(synth());
    expect(JSON.stringify(json)).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: "aws-waf-logs-upskill-dev-regional",
      retention_in_days: 30,
      kms_key_id: base.logging.kmsKeyArn,
    });
    const [logging] = Object.values(resourcesOf(json, "aws_wafv2_web_acl_logging_configuration"));
    expect(logging.resource_arn).toMatch(/^\$\{aws_wafv2_web_acl\.acl_\w+\.arn\}$/);
    expect(logging.log_destination_configs).toEqual([expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.\S+\.arn\}$/)]);
    expect(logging.redacted_fields).toEqual([{ single_header: { name: "authorization" } }, { single_header: { name: "cookie" } }]);
  });

  test("a CLOUDFRONT ACL lives, with its logs, on the us-east-1 provider", () => {
    const json = parseSynth(synth({ name: "upskill-dev-cloudfront", scope: "CLOUDFRONT" }, "us-east-1"));
    for (const type of ["aws_wafv2_web_acl", "aws_cloudwatch_log_group", "aws_wafv2_web_acl_logging_configuration"]) {
      expect(Object.values(resourcesOf(json, type))[0].provider).toBe("aws.p");
    }
    expect(Object.values(resourcesOf(json, "aws_wafv2_web_acl"))[0].scope).toBe("CLOUDFRONT");
  });

  test("a host exempt from the rate limit (traffic through CloudFront, one IP for many viewers) is scoped down out of it", () => {
    const acl = Object.values(resourcesOf(parseSynth(synth({ rateLimitExemptHost: "origin.example.com" })), "aws_wafv2_web_acl"))[0];
    expect(acl.rule[0].statement.rate_based_statement.scope_down_statement).toEqual({
      not_statement: {
        statement: {
          byte_match_statement: {
            field_to_match: { single_header: { name: "host" } },
            positional_constraint: "EXACTLY",
            search_string: "origin.example.com",
            text_transformation: { priority: 0, type: "LOWERCASE" },
          },
        },
      },
    });
    const plain = Object.values(resourcesOf(parseSynth(synth()), "aws_wafv2_web_acl"))[0];
    expect(plain.rule[0].statement.rate_based_statement.scope_down_statement).toBeUndefined();
    expect(() => synth({ rateLimitExemptHost: "Origin Host" })).toThrow(/rateLimitExemptHost must be a lower-case DNS name/);
  });

  test("refuses a CLOUDFRONT ACL outside us-east-1, a rate limit below AWS's minimum and a bad name", () => {
    expect(() => synth({ scope: "CLOUDFRONT" })).toThrow(/CLOUDFRONT-scope ACL must be created in us-east-1.*got the default provider/);
    expect(() => synth({ scope: "CLOUDFRONT" }, "eu-west-1")).toThrow(/got eu-west-1/);
    expect(() => synth({ rateLimit: 9 })).toThrow(/rateLimit must be a whole number from 10/);
    expect(() => synth({ name: "bad name" })).toThrow(/name must be 1-115 letters/);
    expect(() => synth({ managedRuleGroups: ["A", "A"] })).toThrow(/listed twice/);
  });
});
