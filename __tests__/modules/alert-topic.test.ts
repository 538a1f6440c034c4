import { Testing } from "cdktf";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { AlertTopic, type AlertTopicProps } from "../../modules/alerting/alert-topic";

const BASE: AlertTopicProps = { name: "upskill-dev-alerts", keyAlias: "upskill-dev/alerts", accountId: "111111111111", region: "eu-west-1", emails: ["ops@example.com"] };

function synth(props: Partial<AlertTopicProps> = {}) {
  return Testing.synthScope((scope) => {
    new AlertTopic(scope, "alerts", { ...BASE, ...props });
  });
}
const only = (json: any, type: string) => {
  const all = Object.values(json.resource[type] ?? {}) as any[];
  expect(all).toHaveLength(1);
  return all[0];
};

describe("AlertTopic", () => {
  test("the topic is encrypted with its own rotating key", () => {
    const out = synth();
    const json = JSON.parse(out);
    const keyName = Object.keys(json.resource.aws_kms_key)[0];
    expect(out).toHaveResourceWithProperties(SnsTopic, { name: "upskill-dev-alerts", kms_master_key_id: `\${aws_kms_key.${keyName}.arn}` });
    expect(only(json, "aws_kms_key")).toMatchObject({ enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
    expect(only(json, "aws_kms_alias").name).toBe("alias/upskill-dev/alerts");
  });

  test("the key lets CloudWatch, Budgets and AWS Backup encrypt messages for the topic", () => {
    const policy = JSON.parse(only(JSON.parse(synth()), "aws_kms_key").policy);
    const services = policy.Statement.filter((s: any) => s.Principal.Service);
    expect(services.map((s: any) => s.Principal.Service)).toEqual(["cloudwatch.amazonaws.com", "budgets.amazonaws.com", "backup.amazonaws.com"]);
    for (const s of services) expect(s.Action).toEqual(["kms:GenerateDataKey*", "kms:Decrypt"]);
  });

  test("the topic policy lets only those services of this account publish, over TLS", () => {
    const policy = JSON.parse(only(JSON.parse(synth()), "aws_sns_topic_policy").policy);
    const bySid = Object.fromEntries(policy.Statement.map((s: any) => [s.Sid, s]));
    expect(bySid.CloudWatchAlarmsPublish).toMatchObject({
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: "SNS:Publish",
      Condition: { StringEquals: { "aws:SourceAccount": "111111111111" }, ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:eu-west-1:111111111111:alarm:*" } },
    });
    expect(bySid.BudgetsPublish.Condition).toEqual({ StringEquals: { "aws:SourceAccount": "111111111111" }, ArnLike: { "aws:SourceArn": "arn:aws:budgets::111111111111:*" } });
    expect(bySid.BackupVaultNotificationsPublish.Principal).toEqual({ Service: "backup.amazonaws.com" });
    expect(bySid.DenyPublishWithoutTls).toMatchObject({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
    expect(bySid.AccountManagesTopic.Principal).toEqual({ AWS: "arn:aws:iam::111111111111:root" });
    expect(bySid.AccountManagesTopic.Action).not.toContain("SNS:*");
  });

  test("publishers can be narrowed (the us-east-1 topic: CloudWatch only)", () => {
    const json = JSON.parse(synth({ publishers: ["cloudwatch"], region: "us-east-1" }));
    const topicPolicy = JSON.parse(only(json, "aws_sns_topic_policy").policy);
    expect(topicPolicy.Statement.filter((s: any) => s.Principal?.Service).map((s: any) => s.Principal.Service)).toEqual(["cloudwatch.amazonaws.com"]);
    expect(topicPolicy.Statement[1].Condition.ArnLike["aws:SourceArn"]).toBe("arn:aws:cloudwatch:us-east-1:111111111111:alarm:*");
    const keyPolicy = JSON.parse(only(json, "aws_kms_key").policy);
    expect(keyPolicy.Statement.filter((s: any) => s.Principal.Service).map((s: any) => s.Principal.Service)).toEqual(["cloudwatch.amazonaws.com"]);
  });

  test("one e-mail subscription per address", () => {
    const out = synth({ emails: ["a@example.com", "b@example.com"] });
    expect(out).toHaveResourceWithProperties(SnsTopicSubscription, { protocol: "email", endpoint: "a@example.com" });
    expect(out).toHaveResourceWithProperties(SnsTopicSubscription, { protocol: "email", endpoint: "b@example.com" });
    expect(Object.keys(JSON.parse(out).resource.aws_sns_topic_subscription)).toHaveLength(2);
  });

  test("refuses no e-mail, a bad e-mail, a duplicate and a bad region", () => {
    expect(() => synth({ emails: [] })).toThrow(/at least one e-mail/);
    expect(() => synth({ emails: ["nope"] })).toThrow(/"nope" is not an e-mail address/);
    expect(() => synth({ emails: ["a@example.com", "A@example.com"] })).toThrow(/listed twice/);
    expect(() => synth({ region: "europe" })).toThrow(/region must be a region code/);
  });
});
