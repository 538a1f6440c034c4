import { Construct } from "constructs";
import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { MetricWidget } from "../dashboard/dashboard";
import { metricAlarm, type TierAlarmsProps } from "./metric-alarm";

export interface NodeAlarmsProps extends TierAlarmsProps {
  /** The EKS cluster whose Container Insights metrics are watched. */
  readonly clusterName: string;
  readonly cpuPercent: number;
  readonly memoryPercent: number;
}

/** Container Insights' namespace (the amazon-cloudwatch-observability add-on publishes it). */
export const CONTAINER_INSIGHTS_NAMESPACE = "ContainerInsights";
const NS = CONTAINER_INSIGHTS_NAMESPACE;

/**
 * Cluster node alarms from Container Insights: average CPU and memory use of the
 * nodes (gaps stay `missing`), and failed nodes, the health alarm: silence there
 * means Container Insights stopped reporting, so it counts as breaching and tells
 * that the other two have gone blind.
 */
export class NodeAlarms extends Construct {
  readonly alarms: CloudwatchMetricAlarm[] = [];
  readonly widgets: MetricWidget[];

  constructor(scope: Construct, id: string, props: NodeAlarmsProps) {
    super(scope, id);
    for (const [k, v] of [["cpuPercent", props.cpuPercent], ["memoryPercent", props.memoryPercent]] as const) {
      if (!(v > 0 && v <= 100)) throw new Error(`NodeAlarms ${id}: ${k} must be 1-100, got ${v}`);
    }
    const p = props.prefix;
    const dims = { ClusterName: props.clusterName };
    const alarm = (cid: string, spec: Parameters<typeof metricAlarm>[3]) => this.alarms.push(metricAlarm(this, cid, props, spec));
    alarm("cpu", {
      name: `${p}-nodes-cpu`,
      description: `The cluster's nodes use more than ${props.cpuPercent}% CPU on average: check the cluster-autoscaler and pods' requests.`,
      namespace: NS,
      metricName: "node_cpu_utilization",
      dimensions: dims,
      statistic: "Average",
      comparison: "GreaterThanThreshold",
      threshold: props.cpuPercent,
      treatMissingData: "missing",
    });
    alarm("memory", {
      name: `${p}-nodes-memory`,
      description: `The cluster's nodes use more than ${props.memoryPercent}% memory on average: pods risk eviction.`,
      namespace: NS,
      metricName: "node_memory_utilization",
      dimensions: dims,
      statistic: "Average",
      comparison: "GreaterThanThreshold",
      threshold: props.memoryPercent,
      treatMissingData: "missing",
    });
    alarm("failed", {
      name: `${p}-nodes-failed`,
      description: "A cluster node is failing (NotReady), or Container Insights stopped reporting (the amazon-cloudwatch-observability add-on).",
      namespace: NS,
      metricName: "cluster_failed_node_count",
      dimensions: dims,
      statistic: "Maximum",
      comparison: "GreaterThanThreshold",
      threshold: 0,
      treatMissingData: "breaching",
    });
    const line = (metric: string, stat: string, label?: string) => [NS, metric, "ClusterName", props.clusterName, { stat, ...(label ? { label } : {}) }];
    this.widgets = [
      { title: "Node CPU (%)", metrics: [line("node_cpu_utilization", "Average", "average"), line("node_cpu_utilization", "Maximum", "busiest")], thresholds: [{ value: props.cpuPercent, label: "alarm" }] },
      { title: "Node memory (%)", metrics: [line("node_memory_utilization", "Average", "average"), line("node_memory_utilization", "Maximum", "fullest")], thresholds: [{ value: props.memoryPercent, label: "alarm" }] },
      { title: "Nodes", metrics: [line("cluster_node_count", "Average", "nodes"), line("cluster_failed_node_count", "Maximum", "failed")] },
    ];
  }
}
