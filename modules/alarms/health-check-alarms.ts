import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { MetricWidget } from "../dashboard/dashboard";
import { metricAlarm, type TierAlarmsProps } from "./metric-alarm";

export interface HealthCheckAlarmsProps extends TierAlarmsProps {
  /** Route 53 health checks by a short name (e.g. `api`), which ends the alarm name. */
  readonly healthChecks: Readonly<Record<string, string>>;
  /**
   * Route 53 publishes health check metrics in us-east-1 only: give the stack's
   * us-east-1 provider, and a topic of that region as topicArn.
   */
  readonly provider: TerraformProvider;
}

/** Route 53 health check metrics are in us-east-1. */
export const ROUTE53_METRICS_REGION = "us-east-1";
const NS = "AWS/Route53";

/**
 * Route 53 health check alarms: status below 1 (unhealthy). A health check that
 * reports nothing is treated as down.
 */
export class HealthCheckAlarms extends Construct {
  readonly alarms: CloudwatchMetricAlarm[] = [];
  readonly widgets: MetricWidget[];

  constructor(scope: Construct, id: string, props: HealthCheckAlarmsProps) {
    super(scope, id);
    if (!props.provider) throw new Error(`HealthCheckAlarms ${id}: give the us-east-1 provider; Route 53's health check metrics exist only there`);
    const names = Object.keys(props.healthChecks).sort();
    if (names.length === 0) throw new Error(`HealthCheckAlarms ${id}: give at least one health check`);
    for (const n of names) {
      if (!/^[a-z][a-z0-9-]{0,62}$/.test(n)) throw new Error(`HealthCheckAlarms ${id}: "${n}" must be a short name (lower-case letters, digits, '-'): it ends an alarm name`);
      this.alarms.push(
        metricAlarm(this, n, props, {
          name: `${props.prefix}-health-check-${n}`,
          description: `Route 53 health check ${n} reports the endpoint unhealthy (or reports nothing): DNS fails over to the maintenance page.`,
          namespace: NS,
          metricName: "HealthCheckStatus",
          dimensions: { HealthCheckId: props.healthChecks[n] },
          statistic: "Minimum",
          comparison: "LessThanThreshold",
          threshold: 1,
          treatMissingData: "breaching",
        }),
      );
    }
    const lines = (metric: string, stat: string) => names.map((n) => [NS, metric, "HealthCheckId", props.healthChecks[n], { stat, label: n }]);
    this.widgets = [
      { title: "Health check status (1 healthy)", metrics: lines("HealthCheckStatus", "Minimum"), stat: "Minimum", region: ROUTE53_METRICS_REGION, thresholds: [{ value: 1, label: "healthy" }] },
      { title: "Checkers reporting healthy (%)", metrics: lines("HealthCheckPercentageHealthy", "Average"), region: ROUTE53_METRICS_REGION },
    ];
  }
}
