import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";

export interface WebAclLoggingProps {
  /** ARN of the web ACL whose requests are logged. */
  readonly webAclArn: string;
  /** Log group name without the mandatory `aws-waf-logs-` prefix. */
  readonly name: string;
  /** Days the logs are kept (a CloudWatch Logs retention period). */
  readonly retentionDays: number;
  /** KMS key encrypting the log group; it must be in the log group's region and let CloudWatch Logs use it. */
  readonly kmsKeyArn: string;
  /** Request headers never written to the logs. Default: authorization and cookie. */
  readonly redactedHeaders?: readonly string[];
  /** Must be the web ACL's provider (same region). Default: the stack's default provider. */
  readonly provider?: TerraformProvider;
}

/**
 * WAF logging to an encrypted CloudWatch log group with retention. WAF only
 * delivers to log groups whose name starts with `aws-waf-logs-`.
 */
export class WebAclLogging extends Construct {
  readonly logGroupName: string;
  readonly logGroupArn: string;

  constructor(scope: Construct, id: string, props: WebAclLoggingProps) {
    super(scope, id);
    if (props.name.startsWith("aws-waf-logs-")) throw new Error(`WebAclLogging ${id}: give the name without the "aws-waf-logs-" prefix (${props.name})`);
    if (!Number.isInteger(props.retentionDays) || props.retentionDays < 1) {
      throw new Error(`WebAclLogging ${id}: retentionDays must be a CloudWatch Logs retention period in days, got ${props.retentionDays}`);
    }
    const group = new CloudwatchLogGroup(this, "log-group", {
      name: `aws-waf-logs-${props.name}`,
      retentionInDays: props.retentionDays,
      kmsKeyId: props.kmsKeyArn,
      provider: props.provider,
    });
    new Wafv2WebAclLoggingConfiguration(this, "logging", {
      resourceArn: props.webAclArn,
      logDestinationConfigs: [group.arn],
      redactedFields: (props.redactedHeaders ?? ["authorization", "cookie"]).map((name) => ({ singleHeader: { name } })),
      provider: props.provider,
    });
    this.logGroupName = group.name;
    this.logGroupArn = group.arn;
  }
}
