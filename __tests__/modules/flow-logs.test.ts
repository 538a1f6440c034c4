import { Testing } from "cdktf";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { FlowLogs, type FlowLogsProps } from "../../modules/network/flow-logs";
import { parseSynth, type SynthJson } from "../support/fixtures";
import { ref, resourceList } from "../support/synth-refs";

const BASE: FlowLogsProps = { name: "upskill-test", vpcId: "vpc-123", accountId: "111111111111", region: "eu-west-1", retentionInDays: 30 };
const GROUP_ARN = "arn:aws:logs:eu-west-1:111111111111:log-group:/upskill-test/vpc-flow-logs";

function synthFlowLogs(props: Partial<FlowLogsProps> = {}): { synth: string; json: SynthJson } {
  const synth = Testing.synthScope((scope) => void new FlowLogs(scope, "flow-logs", { ...BASE, ...props }));
  return { synth, json: parseSynth(synth) };
}

const only = (json: SynthJson, type: string) => {
  const list = resourceList(json, type);
  expect(list).toHaveLength(1);
  return list[0]!;
};

describe("FlowLogs", () => {
  test("logs all traffic of the VPC to the log group every minute, through the delivery role", () => {
    const { synth, json } = synthFlowLogs();
    expect(synth).toHaveResourceWithProperties(FlowLog, {
      vpc_id: "vpc-123",
      traffic_type: "ALL",
      log_destination_type: "cloud-watch-logs",
      max_aggregation_interval: 60,
    });
    const flowLog = only(json, "aws_flow_log").config;
    expect(flowLog.log_destination).toBe(ref(only(json, "aws_cloudwatch_log_group"), "arn"));
    expect(flowLog.iam_role_arn).toBe(ref(only(json, "aws_iam_role"), "arn"));
    expect(flowLog.depends_on).toEqual([`aws_iam_role_policy.${only(json, "aws_iam_role_policy").name}`]);
  });

  test("the log group keeps records for the retention and is encrypted with its own rotating key", () => {
    const { synth, json } = synthFlowLogs();
    expect(synth).toHaveResourceWithProperties(CloudwatchLogGroup, { name: "/upskill-test/vpc-flow-logs", retention_in_days: 30 });
    expect(only(json, "aws_cloudwatch_log_group").config.kms_key_id).toBe(ref(only(json, "aws_kms_key"), "arn"));
    expect(synth).toHaveResourceWithProperties(KmsKeyResource, { enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
    expect(only(json, "aws_kms_alias").config.name).toBe("alias/upskill-test/vpc-flow-logs");
  });

  test("the key lets CloudWatch Logs of the region use it only for this log group", () => {
    const policy = JSON.parse(only(synthFlowLogs().json, "aws_kms_key").config.policy);
    const logs = policy.Statement.filter((s: any) => s.Principal?.Service);
    expect(logs).toEqual([
      {
        Sid: "CloudWatchLogsUseForFlowLogGroupOnly",
        Effect: "Allow",
        Principal: { Service: "logs.eu-west-1.amazonaws.com" },
        Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        Resource: "*",
        Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": GROUP_ARN } },
      },
    ]);
  });

  test("only VPC Flow Logs of this account and region may assume the delivery role", () => {
    const role = only(synthFlowLogs().json, "aws_iam_role").config;
    expect(role.name).toBe("upskill-test-vpc-flow-logs");
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "vpc-flow-logs.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": "111111111111" },
          ArnLike: { "aws:SourceArn": "arn:aws:ec2:eu-west-1:111111111111:vpc-flow-log/*" },
        },
      },
    ]);
  });

  test("the delivery role may write only to this log group", () => {
    const { json } = synthFlowLogs();
    const policy = only(json, "aws_iam_role_policy").config;
    expect(policy.role).toBe(ref(only(json, "aws_iam_role")));
    const statements = JSON.parse(policy.policy).Statement;
    expect(statements).toEqual([
      {
        Sid: "WriteThisLogGroupOnly",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams", "logs:DescribeLogGroups"],
        Resource: [GROUP_ARN, `${GROUP_ARN}:*`],
      },
    ]);
    expect(JSON.stringify(statements)).not.toContain('"*"');
  });

  test("traffic type, aggregation interval, log group name and partition are options", () => {
    const { json } = synthFlowLogs({ trafficType: "REJECT", maxAggregationInterval: 600, logGroupName: "/custom/flow", partition: "aws-cn", region: "cn-north-1" });
    expect(only(json, "aws_flow_log").config).toMatchObject({ traffic_type: "REJECT", max_aggregation_interval: 600 });
    expect(only(json, "aws_cloudwatch_log_group").config.name).toBe("/custom/flow");
    const key = JSON.parse(only(json, "aws_kms_key").config.policy);
    expect(key.Statement[1].Condition.ArnEquals["kms:EncryptionContext:aws:logs:arn"]).toBe("arn:aws-cn:logs:cn-north-1:111111111111:log-group:/custom/flow");
  });

  test("exposes the log group name as a literal", () => {
    let flowLogs!: FlowLogs;
    Testing.synthScope((scope) => void (flowLogs = new FlowLogs(scope, "flow-logs", BASE)));
    expect(flowLogs.logGroupName).toBe("/upskill-test/vpc-flow-logs");
  });

  test("refuses bad props with what to change", () => {
    expect(() => synthFlowLogs({ retentionInDays: 10 })).toThrow("FlowLogs flow-logs: retentionInDays 10 is not a CloudWatch Logs retention period; use one of 1, 3, 5, 7, 14, 30");
    expect(() => synthFlowLogs({ region: "Ireland" })).toThrow("must be a region code such as eu-west-1");
    expect(() => synthFlowLogs({ logGroupName: "bad name" })).toThrow("may hold only letters");
    expect(() => synthFlowLogs({ accountId: "123" })).toThrow("12 digits");
  });
});
