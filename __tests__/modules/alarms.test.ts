import { TerraformVariable, Testing } from "cdktf";
import type { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DatabaseAlarms, type DatabaseAlarmsProps } from "../../modules/alarms/database-alarms";
import { CacheAlarms, type CacheAlarmsProps } from "../../modules/alarms/cache-alarms";
import { LoadBalancerAlarms, type LoadBalancerAlarmsProps } from "../../modules/alarms/load-balancer-alarms";
import { CdnAlarms } from "../../modules/alarms/cdn-alarms";
import { NatGatewayAlarms, type NatGatewayAlarmsProps } from "../../modules/alarms/nat-gateway-alarms";
import { NodeAlarms } from "../../modules/alarms/node-alarms";
import { HealthCheckAlarms } from "../../modules/alarms/health-check-alarms";
import { BackupAlarms } from "../../modules/alarms/backup-alarms";
import { metricAlarm, validateEvaluation, type TierAlarmsProps } from "../../modules/alarms/metric-alarm";

const TOPIC = "arn:aws:sns:eu-west-1:111111111111:upskill-dev-alerts";
const GLOBAL_TOPIC = "arn:aws:sns:us-east-1:111111111111:upskill-dev-alerts-us-east-1";
const COMMON: TierAlarmsProps = { prefix: "upskill-dev", topicArn: TOPIC, evaluation: { periodSeconds: 60, evaluationPeriods: 3 } };

type Alarm = Record<string, any>;

/** Every alarm synthesized in a scope, by alarm name. */
function alarmsOf(build: (scope: Construct) => void): { byName: Record<string, Alarm>; json: any } {
  const json = JSON.parse(Testing.synthScope(build));
  const all = Object.values(json.resource?.aws_cloudwatch_metric_alarm ?? {}) as Alarm[];
  return { json, byName: Object.fromEntries(all.map((a) => [a.alarm_name, a])) };
}

/** The actions and evaluation every alarm carries. */
function expectNotifies(alarm: Alarm, topic = TOPIC) {
  expect(alarm.alarm_actions).toEqual([topic]);
  expect(alarm.ok_actions).toEqual([topic]);
}

describe("metricAlarm", () => {
  test("notifies the topic on ALARM and OK, with the tier's evaluation (every period breaching by default)", () => {
    const { byName } = alarmsOf((s) => {
      metricAlarm(s, "x", COMMON, {
        name: "upskill-dev-test-x",
        description: "d",
        namespace: "AWS/Test",
        metricName: "M",
        dimensions: { D: "v" },
        statistic: "Sum",
        comparison: "GreaterThanThreshold",
        threshold: 5,
        treatMissingData: "notBreaching",
      });
    });
    expect(byName["upskill-dev-test-x"]).toEqual({
      alarm_name: "upskill-dev-test-x",
      alarm_description: "d",
      namespace: "AWS/Test",
      metric_name: "M",
      dimensions: { D: "v" },
      statistic: "Sum",
      comparison_operator: "GreaterThanThreshold",
      threshold: 5,
      period: 60,
      evaluation_periods: 3,
      datapoints_to_alarm: 3,
      treat_missing_data: "notBreaching",
      alarm_actions: [TOPIC],
      ok_actions: [TOPIC],
    });
  });

  test("refuses a name outside the prefix, both or no statistic, and evaluations CloudWatch refuses", () => {
    const spec = { name: "other-x", description: "d", namespace: "N", metricName: "M", dimensions: {}, statistic: "Sum" as const, comparison: "GreaterThanThreshold" as const, threshold: 1, treatMissingData: "missing" as const };
    expect(() => alarmsOf((s) => metricAlarm(s, "x", COMMON, spec))).toThrow(/must start with upskill-dev-/);
    expect(() => alarmsOf((s) => metricAlarm(s, "x", COMMON, { ...spec, name: "upskill-dev-x", extendedStatistic: "p99" }))).toThrow(/exactly one of statistic and extendedStatistic/);
    expect(() => validateEvaluation("t", { periodSeconds: 90, evaluationPeriods: 1 })).toThrow(/multiple of 60/);
    expect(() => validateEvaluation("t", { periodSeconds: 60, evaluationPeriods: 0 })).toThrow(/at least 1/);
    expect(() => validateEvaluation("t", { periodSeconds: 60, evaluationPeriods: 1441 })).toThrow(/at most 86400 seconds/);
    expect(() => validateEvaluation("t", { periodSeconds: 3600, evaluationPeriods: 168 })).not.toThrow();
    expect(() => validateEvaluation("t", { periodSeconds: 60, evaluationPeriods: 3, datapointsToAlarm: 4 })).toThrow(/datapointsToAlarm must be 1-3/);
  });
});

describe("DatabaseAlarms", () => {
  const props: DatabaseAlarmsProps = {
    ...COMMON,
    instanceId: "upskill-dev-postgres",
    replicaIds: ["upskill-dev-postgres-replica-1", "upskill-dev-postgres-replica-2"],
    thresholds: { cpuPercent: 80, freeStorageGib: 10, freeableMemoryMib: 256, connections: 400, replicaLagSeconds: 60 },
  };
  const { byName } = alarmsOf((s) => new DatabaseAlarms(s, "db", props));

  test("primary: CPU, free storage, freeable memory and connections on AWS/RDS", () => {
    const primary = { DBInstanceIdentifier: "upskill-dev-postgres" };
    expect(byName["upskill-dev-database-cpu"]).toMatchObject({ namespace: "AWS/RDS", metric_name: "CPUUtilization", dimensions: primary, statistic: "Average", comparison_operator: "GreaterThanThreshold", threshold: 80, treat_missing_data: "missing" });
    expect(byName["upskill-dev-database-free-storage"]).toMatchObject({ metric_name: "FreeStorageSpace", dimensions: primary, statistic: "Minimum", comparison_operator: "LessThanThreshold", threshold: 10 * 1024 ** 3 });
    expect(byName["upskill-dev-database-freeable-memory"]).toMatchObject({ metric_name: "FreeableMemory", comparison_operator: "LessThanThreshold", threshold: 256 * 1024 ** 2 });
    expect(byName["upskill-dev-database-connections"]).toMatchObject({ metric_name: "DatabaseConnections", statistic: "Maximum", comparison_operator: "GreaterThanThreshold", threshold: 400 });
  });

  test("replica lag on each replica; a silent replica is breaching", () => {
    props.replicaIds!.forEach((id, i) => {
      expect(byName[`upskill-dev-database-replica-lag-${i + 1}`]).toMatchObject({
        namespace: "AWS/RDS",
        metric_name: "ReplicaLag",
        dimensions: { DBInstanceIdentifier: id },
        comparison_operator: "GreaterThanThreshold",
        threshold: 60,
        treat_missing_data: "breaching",
      });
    });
    expect(Object.keys(byName)).toHaveLength(6);
  });

  test("every alarm notifies on ALARM and OK", () => {
    Object.values(byName).forEach((a) => expectNotifies(a));
  });

  test("no replica, no lag alarm and no lag graph", () => {
    let alarms: DatabaseAlarms | undefined;
    const { byName: none } = alarmsOf((s) => {
      alarms = new DatabaseAlarms(s, "db", { ...props, replicaIds: [] });
    });
    expect(Object.keys(none).filter((n) => n.includes("replica-lag"))).toEqual([]);
    expect(alarms!.widgets.map((w) => w.title)).not.toContain("Replica lag (s)");
  });

  test("graphs draw the thresholds", () => {
    let alarms: DatabaseAlarms | undefined;
    alarmsOf((s) => {
      alarms = new DatabaseAlarms(s, "db", props);
    });
    const cpu = alarms!.widgets.find((w) => w.title === "CPU utilization (%)")!;
    expect(cpu.thresholds).toEqual([{ value: 80, label: "alarm" }]);
    expect(cpu.metrics).toHaveLength(3);
  });

  test("refuses thresholds out of range", () => {
    expect(() => alarmsOf((s) => new DatabaseAlarms(s, "db", { ...props, thresholds: { ...props.thresholds, cpuPercent: 120 } }))).toThrow(/cpuPercent must be 1-100/);
    expect(() => alarmsOf((s) => new DatabaseAlarms(s, "db", { ...props, thresholds: { ...props.thresholds, freeStorageGib: 0 } }))).toThrow(/freeStorageGib must be positive/);
  });
});

describe("CacheAlarms", () => {
  const props: CacheAlarmsProps = {
    ...COMMON,
    replicationGroupId: "upskill-dev-cache",
    memberClusterIds: ["upskill-dev-cache-001", "upskill-dev-cache-002"],
    thresholds: { engineCpuPercent: 80, memoryPercent: 75, evictions: 100, replicationLagSeconds: 30 },
  };

  test("engine CPU, memory, evictions and replication lag per member", () => {
    const { byName } = alarmsOf((s) => new CacheAlarms(s, "cache", props));
    expect(Object.keys(byName)).toHaveLength(8);
    for (const m of ["001", "002"]) {
      const dims = { CacheClusterId: `upskill-dev-cache-${m}` };
      expect(byName[`upskill-dev-cache-engine-cpu-${m}`]).toMatchObject({ namespace: "AWS/ElastiCache", metric_name: "EngineCPUUtilization", dimensions: dims, threshold: 80, treat_missing_data: "missing" });
      expect(byName[`upskill-dev-cache-memory-${m}`]).toMatchObject({ metric_name: "DatabaseMemoryUsagePercentage", dimensions: dims, threshold: 75 });
      expect(byName[`upskill-dev-cache-evictions-${m}`]).toMatchObject({ metric_name: "Evictions", statistic: "Sum", dimensions: dims, threshold: 100, treat_missing_data: "notBreaching" });
      // Only replicas report lag, and the primary moves on failover.
      expect(byName[`upskill-dev-cache-replication-lag-${m}`]).toMatchObject({ metric_name: "ReplicationLag", dimensions: dims, threshold: 30, treat_missing_data: "notBreaching" });
    }
    Object.values(byName).forEach((a) => expectNotifies(a));
  });

  test("a list reference of members makes one for_each alarm per metric, named by member number", () => {
    let alarms: CacheAlarms | undefined;
    const { json } = alarmsOf((s) => {
      const members = new TerraformVariable(s, "members", { type: "list(string)" }).listValue;
      alarms = new CacheAlarms(s, "cache", { ...props, memberClusterIds: members });
    });
    const all = Object.values(json.resource.aws_cloudwatch_metric_alarm) as Alarm[];
    expect(all).toHaveLength(4);
    for (const a of all) {
      expect(a.for_each).toBe("${toset(var.members)}");
      expect(a.dimensions).toEqual({ CacheClusterId: "${each.value}" });
      expect(a.alarm_name).toMatch(/^upskill-dev-cache-[a-z-]+-\$\{replace\(each\.value, "upskill-dev-cache-", ""\)\}$/);
      expectNotifies(a);
    }
    // The graphs search for the group's members instead.
    expect(JSON.stringify(alarms!.widgets[0].metrics)).toContain(`SEARCH('{AWS/ElastiCache,CacheClusterId} MetricName=\\"EngineCPUUtilization\\" \\"upskill-dev-cache\\"'`);
  });

  test("refuses an empty member list and a percentage out of range", () => {
    expect(() => alarmsOf((s) => new CacheAlarms(s, "cache", { ...props, memberClusterIds: [] }))).toThrow(/memberClusterIds is empty/);
    expect(() => alarmsOf((s) => new CacheAlarms(s, "cache", { ...props, thresholds: { ...props.thresholds, memoryPercent: 0 } }))).toThrow(/memoryPercent must be 1-100/);
  });
});

describe("LoadBalancerAlarms", () => {
  const props: LoadBalancerAlarmsProps = {
    ...COMMON,
    albArnSuffix: "app/upskill-dev-alb/abc",
    targetGroups: { web: { arnSuffix: "targetgroup/upskill-dev-web/2" }, api: { arnSuffix: "targetgroup/upskill-dev-api/1" } },
    thresholds: { elb5xxCount: 10, target5xxCount: 20, p99LatencySeconds: 1.5, unhealthyHosts: 0 },
  };
  const { byName } = alarmsOf((s) => new LoadBalancerAlarms(s, "alb", props));
  const lb = { LoadBalancer: "app/upskill-dev-alb/abc" };

  test("the load balancer's 5xx, the targets' 5xx and the p99 response time", () => {
    expect(byName["upskill-dev-alb-elb-5xx"]).toMatchObject({ namespace: "AWS/ApplicationELB", metric_name: "HTTPCode_ELB_5XX_Count", dimensions: lb, statistic: "Sum", threshold: 10, treat_missing_data: "notBreaching" });
    expect(byName["upskill-dev-alb-target-5xx"]).toMatchObject({ metric_name: "HTTPCode_Target_5XX_Count", dimensions: lb, statistic: "Sum", threshold: 20 });
    const p99 = byName["upskill-dev-alb-p99-latency"];
    expect(p99).toMatchObject({ metric_name: "TargetResponseTime", dimensions: lb, extended_statistic: "p99", threshold: 1.5, treat_missing_data: "notBreaching" });
    expect(p99.statistic).toBeUndefined();
  });

  test("unhealthy hosts per target group, by TargetGroup and LoadBalancer, breaching when silent", () => {
    expect(byName["upskill-dev-alb-unhealthy-hosts-api"]).toMatchObject({
      metric_name: "UnHealthyHostCount",
      dimensions: { TargetGroup: "targetgroup/upskill-dev-api/1", LoadBalancer: "app/upskill-dev-alb/abc" },
      statistic: "Maximum",
      comparison_operator: "GreaterThanThreshold",
      threshold: 0,
      treat_missing_data: "breaching",
    });
    expect(byName["upskill-dev-alb-unhealthy-hosts-web"].dimensions.TargetGroup).toBe("targetgroup/upskill-dev-web/2");
    expect(Object.keys(byName)).toHaveLength(5);
    Object.values(byName).forEach((a) => expectNotifies(a));
  });

  test("a widget of each target group's 5xx (web's are the site distribution's dynamic origin's)", () => {
    let alarms: LoadBalancerAlarms | undefined;
    alarmsOf((s) => void (alarms = new LoadBalancerAlarms(s, "alb", props)));
    const widget = alarms!.widgets.find((w) => w.title === "Target 5xx per target group")!;
    expect(widget.metrics).toEqual([
      ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "TargetGroup", "targetgroup/upskill-dev-api/1", "LoadBalancer", "app/upskill-dev-alb/abc", { stat: "Sum", label: "api" }],
      ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "TargetGroup", "targetgroup/upskill-dev-web/2", "LoadBalancer", "app/upskill-dev-alb/abc", { stat: "Sum", label: "web" }],
    ]);
  });

  test("refuses a target group key that cannot end an alarm name", () => {
    expect(() => alarmsOf((s) => new LoadBalancerAlarms(s, "alb", { ...props, targetGroups: { "Bad Name": { arnSuffix: "x" } } }))).toThrow(/must be a service name/);
  });
});

describe("CdnAlarms", () => {
  test("5xx error rate of the distribution, Region=Global, through the us-east-1 provider and topic", () => {
    const { byName, json } = alarmsOf((s) => {
      const usEast1 = new AwsProvider(s, "aws_us_east_1", { region: "us-east-1", alias: "us_east_1" });
      new CdnAlarms(s, "cdn", { ...COMMON, topicArn: GLOBAL_TOPIC, provider: usEast1, distributionId: "E123", errorRatePercent: 5 });
    });
    const a = byName["upskill-dev-cdn-5xx-rate"];
    expect(a).toMatchObject({
      namespace: "AWS/CloudFront",
      metric_name: "5xxErrorRate",
      dimensions: { DistributionId: "E123", Region: "Global" },
      statistic: "Average",
      threshold: 5,
      treat_missing_data: "notBreaching",
      provider: "aws.us_east_1",
    });
    expectNotifies(a, GLOBAL_TOPIC);
    // The site distribution's default origin is web through the load balancer: the alarm says where to look.
    expect(a.alarm_description).toMatch(/web through the load balancer \(the web target group's 5xx and healthy targets/);
    expect(Object.keys(json.resource.aws_cloudwatch_metric_alarm)).toHaveLength(1);
  });
});

describe("NatGatewayAlarms", () => {
  const props: NatGatewayAlarmsProps = { ...COMMON, natGatewayIds: ["nat-a", "nat-b"], portAllocationErrors: 0, droppedPackets: 100 };

  test("port-allocation errors and dropped packets per NAT gateway", () => {
    const { byName } = alarmsOf((s) => new NatGatewayAlarms(s, "nat", props));
    ["nat-a", "nat-b"].forEach((id, i) => {
      expect(byName[`upskill-dev-nat-port-allocation-errors-${i + 1}`]).toMatchObject({ namespace: "AWS/NATGateway", metric_name: "ErrorPortAllocation", dimensions: { NatGatewayId: id }, statistic: "Sum", threshold: 0, treat_missing_data: "notBreaching" });
      expect(byName[`upskill-dev-nat-dropped-packets-${i + 1}`]).toMatchObject({ metric_name: "PacketsDropCount", dimensions: { NatGatewayId: id }, threshold: 100 });
    });
    expect(Object.keys(byName)).toHaveLength(4);
    Object.values(byName).forEach((a) => expectNotifies(a));
  });

  test("refuses an empty list", () => {
    expect(() => alarmsOf((s) => new NatGatewayAlarms(s, "nat", { ...props, natGatewayIds: [] }))).toThrow(/natGatewayIds is empty/);
  });
});

describe("NodeAlarms", () => {
  test("Container Insights CPU and memory by ClusterName; failed nodes breaching when silent", () => {
    const { byName } = alarmsOf((s) => new NodeAlarms(s, "nodes", { ...COMMON, clusterName: "upskill-dev", cpuPercent: 80, memoryPercent: 85 }));
    const dims = { ClusterName: "upskill-dev" };
    expect(byName["upskill-dev-nodes-cpu"]).toMatchObject({ namespace: "ContainerInsights", metric_name: "node_cpu_utilization", dimensions: dims, statistic: "Average", threshold: 80, treat_missing_data: "missing" });
    expect(byName["upskill-dev-nodes-memory"]).toMatchObject({ namespace: "ContainerInsights", metric_name: "node_memory_utilization", dimensions: dims, threshold: 85 });
    expect(byName["upskill-dev-nodes-failed"]).toMatchObject({ metric_name: "cluster_failed_node_count", dimensions: dims, threshold: 0, treat_missing_data: "breaching" });
    Object.values(byName).forEach((a) => expectNotifies(a));
  });
});

describe("HealthCheckAlarms", () => {
  test("HealthCheckStatus below 1, in us-east-1, breaching when silent", () => {
    const { byName } = alarmsOf((s) => {
      const usEast1 = new AwsProvider(s, "aws_us_east_1", { region: "us-east-1", alias: "us_east_1" });
      new HealthCheckAlarms(s, "hc", { ...COMMON, topicArn: GLOBAL_TOPIC, provider: usEast1, healthChecks: { api: "hc-123" } });
    });
    const a = byName["upskill-dev-health-check-api"];
    expect(a).toMatchObject({
      namespace: "AWS/Route53",
      metric_name: "HealthCheckStatus",
      dimensions: { HealthCheckId: "hc-123" },
      statistic: "Minimum",
      comparison_operator: "LessThanThreshold",
      threshold: 1,
      treat_missing_data: "breaching",
      provider: "aws.us_east_1",
    });
    expectNotifies(a, GLOBAL_TOPIC);
  });
});

describe("BackupAlarms", () => {
  test("failed and aborted backup jobs and failed copy jobs of the vault, alarming on one job", () => {
    const { byName } = alarmsOf((s) => new BackupAlarms(s, "backup", { ...COMMON, vaultName: "upskill-dev-volumes" }));
    const expected = { "jobs-failed": "NumberOfBackupJobsFailed", "jobs-aborted": "NumberOfBackupJobsAborted", "copy-jobs-failed": "NumberOfCopyJobsFailed" };
    for (const [part, metric] of Object.entries(expected)) {
      const a = byName[`upskill-dev-backup-${part}`];
      expect(a).toMatchObject({
        namespace: "AWS/Backup",
        metric_name: metric,
        dimensions: { BackupVaultName: "upskill-dev-volumes" },
        statistic: "Sum",
        comparison_operator: "GreaterThanThreshold",
        threshold: 0,
        period: 300,
        evaluation_periods: 1,
        datapoints_to_alarm: 1,
        treat_missing_data: "notBreaching",
      });
      expectNotifies(a);
    }
  });
});
