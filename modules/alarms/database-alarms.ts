import { Construct } from "constructs";
import { Token } from "cdktf";
import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { MetricWidget } from "../dashboard/dashboard";
import { memberLabel, membersOf, metricAlarm, type TierAlarmsProps } from "./metric-alarm";

export interface DatabaseThresholds {
  /** The primary's CPU, percent. */
  readonly cpuPercent: number;
  /** Fires below this much free storage, GiB. */
  readonly freeStorageGib: number;
  /** Fires below this much freeable memory, MiB. */
  readonly freeableMemoryMib: number;
  /** Fires above this many client connections. */
  readonly connections: number;
  /** Fires when a replica lags more than this, seconds. */
  readonly replicaLagSeconds: number;
}

export interface DatabaseAlarmsProps extends TierAlarmsProps {
  /** RDS identifier of the primary. */
  readonly instanceId: string;
  /** RDS identifiers of the read replicas. Default: none. */
  readonly replicaIds?: readonly string[];
  readonly thresholds: DatabaseThresholds;
}

const NS = "AWS/RDS";
const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

/**
 * RDS alarms: CPU, free storage, freeable memory and connections of the primary,
 * and replication lag of each read replica. A replica that stops reporting lag
 * (stopped, replication broken) counts as breaching; the primary's metrics are
 * published every minute while it runs, so their gaps stay `missing`.
 */
export class DatabaseAlarms extends Construct {
  readonly alarms: CloudwatchMetricAlarm[] = [];
  /** The dashboard's graphs of this tier, with the thresholds drawn. */
  readonly widgets: MetricWidget[];

  constructor(scope: Construct, id: string, props: DatabaseAlarmsProps) {
    super(scope, id);
    const t = props.thresholds;
    const fail = (msg: string): never => {
      throw new Error(`DatabaseAlarms ${id}: ${msg}`);
    };
    if (!(t.cpuPercent > 0 && t.cpuPercent <= 100)) fail(`thresholds.cpuPercent must be 1-100, got ${t.cpuPercent}`);
    if (!(t.freeStorageGib > 0)) fail(`thresholds.freeStorageGib must be positive, got ${t.freeStorageGib}`);
    if (!(t.freeableMemoryMib > 0)) fail(`thresholds.freeableMemoryMib must be positive, got ${t.freeableMemoryMib}`);
    if (!(t.connections >= 0)) fail(`thresholds.connections must be 0 or more, got ${t.connections}`);
    if (!(t.replicaLagSeconds > 0)) fail(`thresholds.replicaLagSeconds must be positive, got ${t.replicaLagSeconds}`);
    const p = props.prefix;
    const primary = { DBInstanceIdentifier: props.instanceId };
    const alarm = (cid: string, spec: Parameters<typeof metricAlarm>[3]) => this.alarms.push(metricAlarm(this, cid, props, spec));

    alarm("cpu", {
      name: `${p}-database-cpu`,
      description: `PostgreSQL primary CPU above ${t.cpuPercent}%: look at Performance Insights for the top statements.`,
      namespace: NS,
      metricName: "CPUUtilization",
      dimensions: primary,
      statistic: "Average",
      comparison: "GreaterThanThreshold",
      threshold: t.cpuPercent,
      treatMissingData: "missing",
    });
    alarm("free-storage", {
      name: `${p}-database-free-storage`,
      description: `PostgreSQL primary has less than ${t.freeStorageGib} GiB free: check storage autoscaling's maximum and table bloat.`,
      namespace: NS,
      metricName: "FreeStorageSpace",
      dimensions: primary,
      statistic: "Minimum",
      comparison: "LessThanThreshold",
      threshold: t.freeStorageGib * GIB,
      treatMissingData: "missing",
    });
    alarm("freeable-memory", {
      name: `${p}-database-freeable-memory`,
      description: `PostgreSQL primary has less than ${t.freeableMemoryMib} MiB freeable memory: the instance class may be too small.`,
      namespace: NS,
      metricName: "FreeableMemory",
      dimensions: primary,
      statistic: "Minimum",
      comparison: "LessThanThreshold",
      threshold: t.freeableMemoryMib * MIB,
      treatMissingData: "missing",
    });
    alarm("connections", {
      name: `${p}-database-connections`,
      description: `PostgreSQL primary has more than ${t.connections} connections: check the app's pool sizes against max_connections.`,
      namespace: NS,
      metricName: "DatabaseConnections",
      dimensions: primary,
      statistic: "Maximum",
      comparison: "GreaterThanThreshold",
      threshold: t.connections,
      treatMissingData: "missing",
    });
    const replicas = membersOf(props.replicaIds ?? []);
    for (const r of replicas) {
      alarm(`replica-lag-${r.suffix}`, {
        name: `${p}-database-replica-lag-${memberLabel(r)}`,
        description: `A PostgreSQL read replica lags more than ${t.replicaLagSeconds} s behind the primary, or reports no lag at all (stopped, replication broken).`,
        namespace: NS,
        metricName: "ReplicaLag",
        dimensions: { DBInstanceIdentifier: r.id },
        statistic: "Maximum",
        comparison: "GreaterThanThreshold",
        threshold: t.replicaLagSeconds,
        treatMissingData: "breaching",
        forEach: r.forEach,
      });
    }

    const listed = !Token.isUnresolved(props.replicaIds ?? []);
    const instances = [props.instanceId, ...(listed ? (props.replicaIds ?? []) : [])];
    const perInstance = (metric: string, stat: string) => instances.map((i) => [NS, metric, "DBInstanceIdentifier", i, { stat }]);
    this.widgets = [
      { title: "CPU utilization (%)", metrics: perInstance("CPUUtilization", "Average"), thresholds: [{ value: t.cpuPercent, label: "alarm" }] },
      { title: "Free storage (bytes)", metrics: perInstance("FreeStorageSpace", "Minimum"), thresholds: [{ value: t.freeStorageGib * GIB, label: "alarm" }] },
      { title: "Freeable memory (bytes)", metrics: perInstance("FreeableMemory", "Minimum"), thresholds: [{ value: t.freeableMemoryMib * MIB, label: "alarm" }] },
      { title: "Connections", metrics: perInstance("DatabaseConnections", "Maximum"), thresholds: [{ value: t.connections, label: "alarm" }] },
      { title: "Read / write IOPS", metrics: [[NS, "ReadIOPS", "DBInstanceIdentifier", props.instanceId], [NS, "WriteIOPS", "DBInstanceIdentifier", props.instanceId]] },
    ];
    if (replicas.length > 0) {
      this.widgets.push({
        title: "Replica lag (s)",
        metrics: listed
          ? (props.replicaIds ?? []).map((i) => [NS, "ReplicaLag", "DBInstanceIdentifier", i, { stat: "Maximum" }])
          : [[{ expression: `SEARCH('{${NS},DBInstanceIdentifier} MetricName="ReplicaLag"', 'Maximum', 300)`, id: "lag", label: "" }]],
        thresholds: [{ value: t.replicaLagSeconds, label: "alarm" }],
      });
    }
  }
}
