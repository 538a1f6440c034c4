import { Testing } from "cdktf";
import { ObservabilityStack, type ObservabilityStackProps } from "../../stacks/observability-stack";
import { observabilityInputs } from "../support/observability-fakes";
import { parseSynth, resourcesOf, shippedEnvironment, SHIPPED_ENVIRONMENTS, testApp, type SynthJson } from "../support/fixtures";

function build(name: string): { stack: ObservabilityStack; json: SynthJson; props: Omit<ObservabilityStackProps, "environment"> } {
  const props = observabilityInputs(name);
  const stack = new ObservabilityStack(testApp(), { environment: shippedEnvironment(name), ...props });
  return { stack, props, json: parseSynth(Testing.synth(stack)) };
}

const alarms = (json: SynthJson) => Object.values(resourcesOf(json, "aws_cloudwatch_metric_alarm"));
const a_ = (json: SynthJson) => Object.fromEntries(alarms(json).map((a) => [a.alarm_name, a]));
const byName = (json: SynthJson) => Object.fromEntries(alarms(json).map((a) => [a.alarm_name, a]));
const topicRef = (json: SynthJson, name: string) => {
  const id = Object.entries(resourcesOf(json, "aws_sns_topic")).find(([, t]) => t.name === name)![0];
  return `\${aws_sns_topic.${id}.arn}`;
};

describe.each(SHIPPED_ENVIRONMENTS)("ObservabilityStack (%s)", (envName) => {
  const env = shippedEnvironment(envName);
  const prefix = env.names.prefix;
  const { stack, json, props } = build(envName);
  const topic = topicRef(json, `${prefix}-alerts`);
  const globalTopic = topicRef(json, `${prefix}-alerts-us-east-1`);

  test("is <env>-observability with the primary and us-east-1 providers", () => {
    expect(stack.node.id).toBe(`${envName}-observability`);
    expect((json.provider?.aws ?? []).map((p) => [p.alias, p.region])).toEqual([
      [undefined, env.region],
      ["us_east_1", "us-east-1"],
    ]);
    expect(stack.alertTopicArn).toBeDefined();
  });

  test("two encrypted alert topics, each with every configured e-mail subscribed", () => {
    const topics = Object.values(resourcesOf(json, "aws_sns_topic"));
    expect(topics.map((t) => t.name).sort()).toEqual([`${prefix}-alerts`, `${prefix}-alerts-us-east-1`]);
    for (const t of topics) expect(t.kms_master_key_id).toMatch(/^\$\{aws_kms_key\./);
    const subs = Object.values(resourcesOf(json, "aws_sns_topic_subscription"));
    expect(subs).toHaveLength(2 * env.observability.alarmEmails.length);
    for (const email of env.observability.alarmEmails) {
      expect(subs.filter((s) => s.endpoint === email).map((s) => s.topic_arn).sort()).toEqual([globalTopic, topic].sort());
    }
  });

  test("every alarm notifies its region's topic on ALARM and OK", () => {
    for (const a of alarms(json)) {
      const expected = a.provider === "aws.us_east_1" ? globalTopic : topic;
      expect([a.alarm_name, a.alarm_actions, a.ok_actions]).toEqual([a.alarm_name, [expected], [expected]]);
    }
  });

  test("one alarm set per tier, named <prefix>-<tier>-<what>, with the configured thresholds", () => {
    const names = Object.keys(byName(json)).sort();
    const replicas = env.data.postgres.readReplicas;
    const members = env.data.cache.nodeCount;
    const nats = props.network.natGatewayIds.length;
    const services = Object.keys(props.edge.targetGroups).length;
    const dumps = env.data.postgres.dumps ? 1 : 0;
    expect(names.length).toBe(4 + replicas + 4 * members + 3 + services + 1 + 2 * nats + 3 + 1 + 3 + dumps);
    for (const n of names) expect(n).toMatch(new RegExp(`^${prefix}-(database|cache|alb|cdn|nat|nodes|health-check|backup|database-dump)-[a-z0-9-]+$`));
    // A day without a database dump in the backups bucket alarms.
    expect(a_(json)[`${prefix}-database-dump-missed`]).toMatchObject({ namespace: "AWS/S3", metric_name: "PutRequests", dimensions: { BucketName: props.data.buckets.backups.name, FilterId: "postgres-dumps" }, treat_missing_data: "breaching" });
    const a = byName(json);
    const t = env.observability.alarms;
    expect(a[`${prefix}-database-cpu`].threshold).toBe(t.database.cpuPercent);
    expect(a[`${prefix}-database-free-storage`].threshold).toBe(t.database.freeStorageGib * 1024 ** 3);
    expect(a[`${prefix}-alb-p99-latency`]).toMatchObject({ extended_statistic: "p99", threshold: t.loadBalancer.p99LatencySeconds });
    expect(a[`${prefix}-cdn-5xx-rate`].threshold).toBe(t.cdn.errorRatePercent);
    expect(a[`${prefix}-nodes-memory`].threshold).toBe(t.nodes.memoryPercent);
    expect(a[`${prefix}-database-cpu`]).toMatchObject({ period: t.periodSeconds, evaluation_periods: t.evaluationPeriods, datapoints_to_alarm: t.datapointsToAlarm ?? t.evaluationPeriods });
  });

  test("CloudFront and Route 53 alarms are in us-east-1, every other one in the primary region", () => {
    for (const a of alarms(json)) {
      const global = a.namespace === "AWS/CloudFront" || a.namespace === "AWS/Route53";
      expect([a.alarm_name, a.provider]).toEqual([a.alarm_name, global ? "aws.us_east_1" : undefined]);
    }
    expect(byName(json)[`${prefix}-health-check-api`]).toMatchObject({ dimensions: { HealthCheckId: "hc-api" }, treat_missing_data: "breaching" });
  });

  test("the Container Insights add-on with its role and its log groups (retention from config, logs key)", () => {
    const addon = Object.values(resourcesOf(json, "aws_eks_addon"))[0];
    expect(addon).toMatchObject({ cluster_name: env.names.cluster, addon_name: "amazon-cloudwatch-observability" });
    const groups = Object.values(resourcesOf(json, "aws_cloudwatch_log_group"));
    expect(groups).toHaveLength(4);
    for (const g of groups) expect(g).toMatchObject({ retention_in_days: env.logRetentionDays, kms_key_id: props.data.logsKeyArn });
  });

  test("a dashboard with a row per tier, each a header and graphs", () => {
    const d = Object.values(resourcesOf(json, "aws_cloudwatch_dashboard"))[0];
    expect(d.dashboard_name).toBe(prefix);
    const body = JSON.parse(d.dashboard_body);
    const headers = body.widgets.filter((w: any) => w.type === "text").map((w: any) => w.properties.markdown.split("\n")[0]);
    expect(headers).toEqual([
      "## Edge: CloudFront and health checks",
      "## Load balancer",
      "## Cluster nodes (Container Insights)",
      "## Database (RDS PostgreSQL)",
      "## Cache (ElastiCache)",
      "## Network: NAT gateways",
      "## Backups (AWS Backup, database dumps)",
    ]);
    const graphs = body.widgets.filter((w: any) => w.type === "metric");
    // Rows follow each other: each header sits below the last graph of the previous row.
    let bottom = 0;
    for (const w of body.widgets) {
      if (w.type === "text") {
        expect(w.y).toBe(bottom);
      }
      bottom = Math.max(bottom, w.y + w.height);
    }
    const cdnGraph = graphs.find((w: any) => w.properties.title === "CloudFront error rates (%)");
    expect(cdnGraph.properties).toMatchObject({ region: "us-east-1", annotations: { horizontal: [{ value: env.observability.alarms.cdn.errorRatePercent, label: "5xx alarm" }] } });
    const dbCpu = graphs.find((w: any) => w.properties.title === "CPU utilization (%)");
    expect(dbCpu.properties.region).toBe(env.region);
    expect(dbCpu.properties.metrics).toHaveLength(1 + env.data.postgres.readReplicas);
    for (const g of graphs) expect(g.properties.metrics.length).toBeGreaterThan(0);
  });

  test("a monthly budget on the Environment tag, alerting the topic and the e-mails", () => {
    const budget = Object.values(resourcesOf(json, "aws_budgets_budget"))[0];
    expect(budget).toMatchObject({
      name: `${prefix}-monthly`,
      budget_type: "COST",
      time_unit: "MONTHLY",
      limit_amount: String(env.observability.monthlyBudgetUsd),
      cost_filter: [{ name: "TagKeyValue", values: [`user:Environment$${envName}`] }],
    });
    expect(budget.notification.map((n: any) => [n.notification_type, n.threshold])).toEqual([
      ["ACTUAL", 80],
      ["ACTUAL", 100],
      ["FORECASTED", 100],
    ]);
    // The alarm addresses get budget alerts through the topic; listing them on the budget as well would send each twice.
    for (const n of budget.notification) {
      expect(n.subscriber_sns_topic_arns).toEqual([topic]);
      expect(n.subscriber_email_addresses).toBeUndefined();
    }
  });

  test("an output shows, per address, its two subscriptions awaiting confirmation", () => {
    const output = json.output?.["alert-subscriptions-pending"] as any;
    expect(output.description).toMatch(/must click the link in both SNS messages/);
    const subs = Object.entries(resourcesOf(json, "aws_sns_topic_subscription"));
    expect(subs).toHaveLength(2 * env.observability.alarmEmails.length);
    for (const email of env.observability.alarmEmails) {
      const entries = Object.values(output.value[email]);
      expect(entries).toHaveLength(2);
      const mine = subs.filter(([, s]) => s.endpoint === email).map(([name]) => `\${aws_sns_topic_subscription.${name}.pending_confirmation}`);
      expect([...entries].sort()).toEqual(mine.sort());
    }
  });
});
