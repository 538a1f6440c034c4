import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { WebAclLogging } from "./web-acl-logging";

/** AWS managed rule groups every web ACL gets by default, in evaluation order. */
export const BASELINE_MANAGED_RULE_GROUPS = [
  "AWSManagedRulesAmazonIpReputationList",
  "AWSManagedRulesCommonRuleSet",
  "AWSManagedRulesKnownBadInputsRuleSet",
] as const;

/** The SQL-injection rule group, for ACLs in front of an API with a database. */
export const SQL_INJECTION_RULE_GROUP = "AWSManagedRulesSQLiRuleSet";

/** AWS WAF's bounds for a rate-based rule's limit (requests per evaluation window). */
export const WAF_RATE_LIMIT_MIN = 10;
export const WAF_RATE_LIMIT_MAX = 2_000_000_000;

export interface WebAclProps {
  /** ACL name (letters, digits, `_`, `-`); also the metric name prefix and the log group's suffix. */
  readonly name: string;
  /** REGIONAL (load balancers) or CLOUDFRONT (distributions; the provider must be in us-east-1). */
  readonly scope: "REGIONAL" | "CLOUDFRONT";
  /** Requests per client IP per 5 minutes before the IP is blocked (AWS minimum 10). */
  readonly rateLimit: number;
  /** AWS managed rule groups, evaluated in this order after the rate limit. Default: BASELINE_MANAGED_RULE_GROUPS. */
  readonly managedRuleGroups?: readonly string[];
  readonly logging: {
    readonly retentionDays: number;
    /** Key in the ACL's region that CloudWatch Logs may use. */
    readonly kmsKeyArn: string;
  };
  /**
   * A Host header the rate limit does not count: requests that reach this ACL through CloudFront
   * (e.g. the site's origin name) all come from CloudFront's addresses, so counting them per IP would
   * block many viewers at once; the CLOUDFRONT ACL rate-limits them per viewer instead. Default: none.
   */
  readonly rateLimitExemptHost?: string;
  /** Required for CLOUDFRONT scope (a us-east-1 provider). Default: the stack's default provider. */
  readonly provider?: TerraformProvider;
}

const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });

/**
 * A WAFv2 web ACL that allows by default, blocks clients over the rate limit,
 * then applies AWS managed rule groups (their own block actions), with metrics
 * and sampled requests on every rule, and logging to CloudWatch Logs.
 */
export class WebAcl extends Construct {
  readonly webAclArn: string;
  readonly webAclId: string;
  readonly webAclName: string;
  readonly logGroupName: string;
  readonly webAcl: Wafv2WebAcl;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9_-]{1,115}$/.test(props.name)) {
      throw new Error(`WebAcl ${id}: name must be 1-115 letters, digits, '_' or '-' (its log group adds "aws-waf-logs-"), got "${props.name}"`);
    }
    if (!Number.isInteger(props.rateLimit) || props.rateLimit < WAF_RATE_LIMIT_MIN || props.rateLimit > WAF_RATE_LIMIT_MAX) {
      throw new Error(`WebAcl ${id}: rateLimit must be a whole number from ${WAF_RATE_LIMIT_MIN} to ${WAF_RATE_LIMIT_MAX}, got ${props.rateLimit}`);
    }
    if (props.scope === "CLOUDFRONT") {
      const region = props.provider instanceof AwsProvider ? props.provider.region : undefined;
      if (region !== "us-east-1") {
        throw new Error(`WebAcl ${id}: a CLOUDFRONT-scope ACL must be created in us-east-1; pass a us-east-1 AWS provider (got ${region ?? "the default provider"})`);
      }
    }
    const groups = props.managedRuleGroups ?? BASELINE_MANAGED_RULE_GROUPS;
    const duplicate = groups.find((g, i) => groups.indexOf(g) !== i);
    if (duplicate) throw new Error(`WebAcl ${id}: managed rule group ${duplicate} is listed twice`);

    const exempt = props.rateLimitExemptHost;
    if (exempt !== undefined && !/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(exempt)) {
      throw new Error(`WebAcl ${id}: rateLimitExemptHost must be a lower-case DNS name, got "${exempt}"`);
    }
    const rules = [
      {
        name: "rate-limit",
        priority: 0,
        action: { block: {} },
        statement: {
          rate_based_statement: {
            limit: props.rateLimit,
            aggregate_key_type: "IP",
            evaluation_window_sec: 300,
            ...(exempt ? { scope_down_statement: { not_statement: { statement: { byte_match_statement: hostIs(exempt) } } } } : {}),
          },
        },
        visibilityConfig: visibility(`${props.name}-rate-limit`),
      },
      ...groups.map((group, i) => ({
        name: group,
        priority: i + 1,
        // The group's own actions apply (none = no override).
        overrideAction: { none: {} },
        statement: { managed_rule_group_statement: { vendor_name: "AWS", name: group } },
        visibilityConfig: visibility(`${props.name}-${group}`),
      })),
    ];
    this.webAcl = new Wafv2WebAcl(this, "acl", {
      name: props.name,
      description: `${props.scope} web ACL ${props.name}: rate limit and AWS managed rules`,
      scope: props.scope,
      defaultAction: { allow: {} },
      rule: rules,
      visibilityConfig: visibility(props.name),
      provider: props.provider,
    });
    const logging = new WebAclLogging(this, "logging", {
      webAclArn: this.webAcl.arn,
      name: props.name,
      retentionDays: props.logging.retentionDays,
      kmsKeyArn: props.logging.kmsKeyArn,
      provider: props.provider,
    });
    this.webAclArn = this.webAcl.arn;
    this.webAclId = this.webAcl.id;
    this.webAclName = props.name;
    this.logGroupName = logging.logGroupName;
  }
}

/** A byte match of the Host header (lower-cased), exactly `host`. */
function hostIs(host: string) {
  return {
    field_to_match: { single_header: { name: "host" } },
    positional_constraint: "EXACTLY",
    search_string: host,
    text_transformation: { priority: 0, type: "LOWERCASE" },
  };
}
