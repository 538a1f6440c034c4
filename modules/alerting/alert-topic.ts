import { Construct } from "constructs";
import { Token, type TerraformProvider } from "cdktf";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { KmsKey } from "../kms-key/kms-key";

/** AWS services that publish alerts to the topic. */
export type AlertPublisher = "cloudwatch" | "budgets" | "backup";

/** Service principal and the ARN its notifications come from (the confused-deputy guard). */
const PUBLISHERS: Record<AlertPublisher, { readonly sid: string; readonly service: string; readonly sourceArn: (region: string, account: string) => string }> = {
  cloudwatch: { sid: "CloudWatchAlarms", service: "cloudwatch.amazonaws.com", sourceArn: (r, a) => `arn:aws:cloudwatch:${r}:${a}:alarm:*` },
  // Budgets is global: its ARNs carry no region.
  budgets: { sid: "Budgets", service: "budgets.amazonaws.com", sourceArn: (_r, a) => `arn:aws:budgets::${a}:*` },
  backup: { sid: "BackupVaultNotifications", service: "backup.amazonaws.com", sourceArn: (r, a) => `arn:aws:backup:${r}:${a}:backup-vault:*` },
};

export interface AlertTopicProps {
  /** Topic name, e.g. `upskill-prod-alerts`. */
  readonly name: string;
  /** Alias of the topic's key, without `alias/`, e.g. `upskill-prod/alerts`. */
  readonly keyAlias: string;
  readonly accountId: string;
  /** The topic's region (the provider's): alarms may only notify a topic of their own region. */
  readonly region: string;
  /** Addresses subscribed by e-mail (each confirms the subscription from the message SNS sends). */
  readonly emails: readonly string[];
  /** Services allowed to publish. Default: CloudWatch, Budgets and AWS Backup. */
  readonly publishers?: readonly AlertPublisher[];
  /** Default: the stack's default AWS provider. */
  readonly provider?: TerraformProvider;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * An SNS topic for alerts: encrypted with its own customer-managed key, which the
 * publishing services may use (a service publishing to an encrypted topic needs
 * kms:GenerateDataKey* and kms:Decrypt on the key); a topic policy letting only
 * those services of this account publish, over TLS; e-mail subscriptions.
 */
export class AlertTopic extends Construct {
  readonly topicArn: string;
  readonly topicName: string;
  readonly key: KmsKey;
  readonly topic: SnsTopic;
  /** The e-mail subscriptions by address; each stays pending until its address confirms it. */
  readonly subscriptions: Readonly<Record<string, SnsTopicSubscription>> = {};

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    const fail = (msg: string): never => {
      throw new Error(`AlertTopic ${id}: ${msg}`);
    };
    if (!/^[A-Za-z0-9_-]{1,256}$/.test(props.name)) fail(`name must be 1-256 letters, digits, '-' and '_', got "${props.name}"`);
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(props.region)) fail(`region must be a region code such as eu-west-1, got "${props.region}"`);
    if (props.emails.length === 0) fail("give at least one e-mail address: a topic nobody reads alerts no one");
    props.emails.forEach((e) => {
      if (!Token.isUnresolved(e) && !EMAIL.test(e)) fail(`"${e}" is not an e-mail address`);
    });
    const duplicate = props.emails.find((e, i) => props.emails.findIndex((o) => o.toLowerCase() === e.toLowerCase()) !== i);
    if (duplicate) fail(`"${duplicate}" is listed twice`);
    const publishers = [...new Set(props.publishers ?? (["cloudwatch", "budgets", "backup"] as const))];
    if (publishers.length === 0) fail("give at least one publisher");
    const { provider, accountId, region } = props;

    this.key = new KmsKey(this, "key", {
      alias: props.keyAlias,
      description: `SNS topic ${props.name}: alerts from ${publishers.map((p) => PUBLISHERS[p].service).join(", ")}`,
      accountId,
      provider,
      serviceGrants: publishers.map((p) => ({
        sid: `${PUBLISHERS[p].sid}PublishToEncryptedTopic`,
        service: PUBLISHERS[p].service,
        actions: ["kms:GenerateDataKey*", "kms:Decrypt"],
      })),
    });
    this.topic = new SnsTopic(this, "topic", { name: props.name, kmsMasterKeyId: this.key.keyArn, provider });

    const statements = [
      {
        Sid: "AccountManagesTopic",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: ["SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission", "SNS:RemovePermission", "SNS:DeleteTopic", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish"],
        Resource: this.topic.arn,
      },
      ...publishers.map((p) => ({
        Sid: `${PUBLISHERS[p].sid}Publish`,
        Effect: "Allow",
        Principal: { Service: PUBLISHERS[p].service },
        Action: "SNS:Publish",
        Resource: this.topic.arn,
        Condition: {
          StringEquals: { "aws:SourceAccount": accountId },
          ArnLike: { "aws:SourceArn": PUBLISHERS[p].sourceArn(region, accountId) },
        },
      })),
      {
        Sid: "DenyPublishWithoutTls",
        Effect: "Deny",
        Principal: "*",
        Action: "SNS:Publish",
        Resource: this.topic.arn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ];
    new SnsTopicPolicy(this, "policy", { arn: this.topic.arn, policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }), provider });

    // Ids from the address, so reordering the list replaces no subscription.
    const subscriptions: Record<string, SnsTopicSubscription> = {};
    props.emails.forEach((email, i) => {
      subscriptions[email] = new SnsTopicSubscription(this, Token.isUnresolved(email) ? `email-${i}` : `email-${email.toLowerCase()}`, { topicArn: this.topic.arn, protocol: "email", endpoint: email, provider });
    });
    this.subscriptions = subscriptions;

    this.topicArn = this.topic.arn;
    this.topicName = this.topic.name;
  }
}
