import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { KmsKey } from "../kms-key/kms-key";

/** CloudWatch Logs accepts only these retention periods (days). */
const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export interface FlowLogsProps {
  /** Prefix of the role name and key alias, e.g. `upskill-prod`. */
  readonly name: string;
  readonly vpcId: string;
  /** Account and region of the log group: its ARN is written into the key policy before it exists. */
  readonly accountId: string;
  readonly region: string;
  /** Days the records are kept; one of CloudWatch Logs' retention periods. */
  readonly retentionInDays: number;
  /** Default: `/<name>/vpc-flow-logs`. */
  readonly logGroupName?: string;
  /** Default: `ALL` (accepted and rejected traffic). */
  readonly trafficType?: "ALL" | "ACCEPT" | "REJECT";
  /** Seconds over which records are aggregated. Default: 60 (the finest; AWS's own default is 600). */
  readonly maxAggregationInterval?: 60 | 600;
  /** Default: `aws`. */
  readonly partition?: string;
}

/**
 * VPC flow logs into a CloudWatch log group with a retention and its own
 * rotating KMS key. The key lets CloudWatch Logs use it only for this log
 * group (encryption context condition); the delivery role can be assumed only
 * by VPC Flow Logs of this account and may only write to this log group.
 */
export class FlowLogs extends Construct {
  /** The log group's name (a literal: later layers can use it without a cross-stack reference). */
  readonly logGroupName: string;
  readonly logGroupArn: string;
  readonly kmsKeyArn: string;
  readonly roleArn: string;
  readonly flowLogId: string;

  constructor(scope: Construct, id: string, props: FlowLogsProps) {
    super(scope, id);
    if (!RETENTION_DAYS.includes(props.retentionInDays)) {
      throw new Error(`FlowLogs ${id}: retentionInDays ${props.retentionInDays} is not a CloudWatch Logs retention period; use one of ${RETENTION_DAYS.join(", ")}`);
    }
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(props.region)) throw new Error(`FlowLogs ${id}: region ${JSON.stringify(props.region)} must be a region code such as eu-west-1`);
    const partition = props.partition ?? "aws";
    const logGroupName = props.logGroupName ?? `/${props.name}/vpc-flow-logs`;
    if (!/^[\w\-/.#]{1,512}$/.test(logGroupName)) throw new Error(`FlowLogs ${id}: logGroupName ${JSON.stringify(logGroupName)} may hold only letters, digits, '_', '-', '/', '.', '#'`);
    // Built from parts, not from the log group resource: the key must exist before the group.
    const logGroupArn = `arn:${partition}:logs:${props.region}:${props.accountId}:log-group:${logGroupName}`;

    const key = new KmsKey(this, "key", {
      alias: `${props.name}/vpc-flow-logs`,
      description: `Encrypts the VPC flow logs of ${props.name} (log group ${logGroupName})`,
      accountId: props.accountId,
      serviceGrants: [
        {
          sid: "CloudWatchLogsUseForFlowLogGroupOnly",
          service: `logs.${props.region}.amazonaws.com`,
          actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
          condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": logGroupArn } },
        },
      ],
    });

    const group = new CloudwatchLogGroup(this, "log-group", {
      name: logGroupName,
      retentionInDays: props.retentionInDays,
      kmsKeyId: key.keyArn,
    });

    const role = new IamRole(this, "delivery-role", {
      name: `${props.name}-vpc-flow-logs`,
      description: `Lets VPC Flow Logs write ${props.name}'s flow logs to ${logGroupName}`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "vpc-flow-logs.amazonaws.com" },
            Action: "sts:AssumeRole",
            // Confused-deputy guard: only flow logs owned by this account, in this region.
            Condition: {
              StringEquals: { "aws:SourceAccount": props.accountId },
              ArnLike: { "aws:SourceArn": `arn:${partition}:ec2:${props.region}:${props.accountId}:vpc-flow-log/*` },
            },
          },
        ],
      }),
    });
    const policy = new IamRolePolicy(this, "delivery-policy", {
      name: "write-flow-log-group",
      role: role.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "WriteThisLogGroupOnly",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams", "logs:DescribeLogGroups"],
            Resource: [logGroupArn, `${logGroupArn}:*`],
          },
        ],
      }),
    });

    const flowLog = new FlowLog(this, "flow-log", {
      vpcId: props.vpcId,
      trafficType: props.trafficType ?? "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: group.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: props.maxAggregationInterval ?? 60,
      tags: { Name: `${props.name}-vpc` },
      // The first deliveries fail if the role cannot write yet.
      dependsOn: [policy],
    });

    this.logGroupName = logGroupName;
    this.logGroupArn = group.arn;
    this.kmsKeyArn = key.keyArn;
    this.roleArn = role.arn;
    this.flowLogId = flowLog.id;
  }
}
