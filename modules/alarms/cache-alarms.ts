import { Construct } from "constructs";
import { Token } from "cdktf";
import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { MetricLine, MetricWidget } from "../dashboard/dashboard";
import { memberLabel, membersOf, metricAlarm, type TierAlarmsProps } from "./metric-alarm";

export interface CacheThresholds {
  /** Redis/Valkey's own thread, percent. */
  readonly engineCpuPercent: number;
  /** Share of maxmemory in use, percent. */
  readonly memoryPercent: number;
  /** Keys evicted per period. */
  readonly evictions: number;
  readonly replicationLagSeconds: number;
}

export interface CacheAlarmsProps extends TierAlarmsProps {
  readonly replicationGroupId: string;
  /**
   * The group's member clusters (`<group>-001`...): a list of ids, or the group's
   * `member_clusters` as one list reference (then each alarm is one resource with
   * for_each over it).
   */
  readonly memberClusterIds: readonly string[];
  readonly thresholds: CacheThresholds;
}

const NS = "AWS/ElastiCache";

/**
 * ElastiCache alarms for every member of the replication group: engine CPU,
 * memory use, evictions and replication lag. Which member is primary changes
 * with a failover and only replicas report ReplicationLag, so its gaps (and
 * those of Evictions, absent while nothing is evicted) count as not breaching.
 */
export class CacheAlarms extends Construct {
  readonly alarms: CloudwatchMetricAlarm[] = [];
  readonly widgets: MetricWidget[];

  constructor(scope: Construct, id: string, props: CacheAlarmsProps) {
    super(scope, id);
    const t = props.thresholds;
    const fail = (msg: string): never => {
      throw new Error(`CacheAlarms ${id}: ${msg}`);
    };
    if (!(t.engineCpuPercent > 0 && t.engineCpuPercent <= 100)) fail(`thresholds.engineCpuPercent must be 1-100, got ${t.engineCpuPercent}`);
    if (!(t.memoryPercent > 0 && t.memoryPercent <= 100)) fail(`thresholds.memoryPercent must be 1-100, got ${t.memoryPercent}`);
    if (!(t.evictions >= 0)) fail(`thresholds.evictions must be 0 or more, got ${t.evictions}`);
    if (!(t.replicationLagSeconds > 0)) fail(`thresholds.replicationLagSeconds must be positive, got ${t.replicationLagSeconds}`);
    const listed = !Token.isUnresolved(props.memberClusterIds);
    if (listed && props.memberClusterIds.length === 0) fail("memberClusterIds is empty: give the replication group's member clusters");
    const p = props.prefix;
    const group = props.replicationGroupId;
    // Member `upskill-prod-cache-002` of group `upskill-prod-cache` names its alarms `...-002`.
    const members = membersOf(props.memberClusterIds, (m) => (!Token.isUnresolved(group) && m.startsWith(`${group}-`) ? m.slice(group.length + 1) : undefined));

    for (const m of members) {
      const label = memberLabel(m, `${group}-`);
      const common = { namespace: NS, dimensions: { CacheClusterId: m.id }, forEach: m.forEach };
      const alarm = (cid: string, spec: Omit<Parameters<typeof metricAlarm>[3], "namespace" | "dimensions" | "forEach">) =>
        this.alarms.push(metricAlarm(this, `${cid}-${m.suffix}`, props, { ...common, ...spec }));
      alarm("engine-cpu", {
        name: `${p}-cache-engine-cpu-${label}`,
        description: `Cache node engine CPU above ${t.engineCpuPercent}%: look for slow commands (slow log) and hot keys.`,
        metricName: "EngineCPUUtilization",
        statistic: "Average",
        comparison: "GreaterThanThreshold",
        threshold: t.engineCpuPercent,
        treatMissingData: "missing",
      });
      alarm("memory", {
        name: `${p}-cache-memory-${label}`,
        description: `Cache node uses more than ${t.memoryPercent}% of its memory: keys without TTLs, or the node type is too small.`,
        metricName: "DatabaseMemoryUsagePercentage",
        statistic: "Average",
        comparison: "GreaterThanThreshold",
        threshold: t.memoryPercent,
        treatMissingData: "missing",
      });
      alarm("evictions", {
        name: `${p}-cache-evictions-${label}`,
        description: `Cache node evicted more than ${t.evictions} keys in a period: it is out of memory.`,
        metricName: "Evictions",
        statistic: "Sum",
        comparison: "GreaterThanThreshold",
        threshold: t.evictions,
        treatMissingData: "notBreaching",
      });
      alarm("replication-lag", {
        name: `${p}-cache-replication-lag-${label}`,
        description: `Cache replica lags more than ${t.replicationLagSeconds} s behind the primary.`,
        metricName: "ReplicationLag",
        statistic: "Maximum",
        comparison: "GreaterThanThreshold",
        threshold: t.replicationLagSeconds,
        treatMissingData: "notBreaching",
      });
    }

    // One line per member when they are known; else a search for the group's id (a phrase of every member's id).
    const lines = (metric: string, stat: string): MetricLine[] =>
      listed
        ? props.memberClusterIds.map((m) => [NS, metric, "CacheClusterId", m, { stat }])
        : [[{ expression: `SEARCH('{${NS},CacheClusterId} MetricName="${metric}" "${group}"', '${stat}', 300)`, id: "members", label: "" }]];
    this.widgets = [
      { title: "Engine CPU (%)", metrics: lines("EngineCPUUtilization", "Average"), thresholds: [{ value: t.engineCpuPercent, label: "alarm" }] },
      { title: "Memory used (%)", metrics: lines("DatabaseMemoryUsagePercentage", "Average"), thresholds: [{ value: t.memoryPercent, label: "alarm" }] },
      { title: "Evictions", metrics: lines("Evictions", "Sum"), stat: "Sum", thresholds: [{ value: t.evictions, label: "alarm" }] },
      { title: "Replication lag (s)", metrics: lines("ReplicationLag", "Maximum"), stat: "Maximum", thresholds: [{ value: t.replicationLagSeconds, label: "alarm" }] },
      { title: "Current connections", metrics: lines("CurrConnections", "Maximum"), stat: "Maximum" },
      { title: "Cache hit rate (%)", metrics: lines("CacheHitRate", "Average") },
    ];
  }
}
