import { Construct } from "constructs";
import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { MetricWidget } from "../dashboard/dashboard";
import { metricAlarm, type TierAlarmsProps } from "./metric-alarm";

export interface LoadBalancerThresholds {
  /** 5xx responses the load balancer generates itself, per period. */
  readonly elb5xxCount: number;
  /** 5xx responses of the targets, per period. */
  readonly target5xxCount: number;
  /** p99 of the targets' response time, seconds. */
  readonly p99LatencySeconds: number;
  /** Unhealthy targets tolerated per target group. */
  readonly unhealthyHosts: number;
}

export interface LoadBalancerAlarmsProps extends TierAlarmsProps {
  /** The ALB's ARN suffix (`app/<name>/<id>`), its CloudWatch dimension. */
  readonly albArnSuffix: string;
  /** Each service's target group ARN suffix (`targetgroup/<name>/<id>`), by service name. */
  readonly targetGroups: Readonly<Record<string, { readonly arnSuffix: string }>>;
  readonly thresholds: LoadBalancerThresholds;
}

const NS = "AWS/ApplicationELB";
const SERVICE = /^[a-z][a-z0-9-]{0,62}$/;

/**
 * ALB alarms: the load balancer's own 5xx, the targets' 5xx and the p99 response
 * time (published only while requests flow, so silence is not breaching), and
 * unhealthy hosts per target group (health: a target group that reports nothing
 * has no registered target, which counts as breaching).
 */
export class LoadBalancerAlarms extends Construct {
  readonly alarms: CloudwatchMetricAlarm[] = [];
  readonly widgets: MetricWidget[];

  constructor(scope: Construct, id: string, props: LoadBalancerAlarmsProps) {
    super(scope, id);
    const t = props.thresholds;
    const fail = (msg: string): never => {
      throw new Error(`LoadBalancerAlarms ${id}: ${msg}`);
    };
    if (!(t.elb5xxCount >= 0 && t.target5xxCount >= 0 && t.unhealthyHosts >= 0)) fail("count thresholds must be 0 or more");
    if (!(t.p99LatencySeconds > 0)) fail(`thresholds.p99LatencySeconds must be positive, got ${t.p99LatencySeconds}`);
    const services = Object.keys(props.targetGroups).sort();
    services.forEach((s) => {
      if (!SERVICE.test(s)) fail(`target group key "${s}" must be a service name (lower-case letters, digits, '-'): it names an alarm`);
    });
    const p = props.prefix;
    const lb = { LoadBalancer: props.albArnSuffix };
    const alarm = (cid: string, spec: Parameters<typeof metricAlarm>[3]) => this.alarms.push(metricAlarm(this, cid, props, spec));

    alarm("elb-5xx", {
      name: `${p}-alb-elb-5xx`,
      description: `The load balancer answered more than ${t.elb5xxCount} requests with its own 5xx in a period (no healthy target, target timeouts, connection errors).`,
      namespace: NS,
      metricName: "HTTPCode_ELB_5XX_Count",
      dimensions: lb,
      statistic: "Sum",
      comparison: "GreaterThanThreshold",
      threshold: t.elb5xxCount,
      treatMissingData: "notBreaching",
    });
    alarm("target-5xx", {
      name: `${p}-alb-target-5xx`,
      description: `The app's targets answered more than ${t.target5xxCount} requests with a 5xx in a period: check the app's logs.`,
      namespace: NS,
      metricName: "HTTPCode_Target_5XX_Count",
      dimensions: lb,
      statistic: "Sum",
      comparison: "GreaterThanThreshold",
      threshold: t.target5xxCount,
      treatMissingData: "notBreaching",
    });
    alarm("p99-latency", {
      name: `${p}-alb-p99-latency`,
      description: `The targets' p99 response time is above ${t.p99LatencySeconds} s.`,
      namespace: NS,
      metricName: "TargetResponseTime",
      dimensions: lb,
      extendedStatistic: "p99",
      comparison: "GreaterThanThreshold",
      threshold: t.p99LatencySeconds,
      treatMissingData: "notBreaching",
    });
    for (const service of services) {
      alarm(`unhealthy-hosts-${service}`, {
        name: `${p}-alb-unhealthy-hosts-${service}`,
        description: `Target group of ${service}: more than ${t.unhealthyHosts} unhealthy targets, or no target reporting at all.`,
        namespace: NS,
        metricName: "UnHealthyHostCount",
        dimensions: { TargetGroup: props.targetGroups[service].arnSuffix, LoadBalancer: props.albArnSuffix },
        statistic: "Maximum",
        comparison: "GreaterThanThreshold",
        threshold: t.unhealthyHosts,
        treatMissingData: "breaching",
      });
    }

    const perGroup = (metric: string, stat: string) =>
      services.map((s) => [NS, metric, "TargetGroup", props.targetGroups[s].arnSuffix, "LoadBalancer", props.albArnSuffix, { stat, label: s }]);
    this.widgets = [
      { title: "Requests", metrics: [[NS, "RequestCount", "LoadBalancer", props.albArnSuffix, { stat: "Sum" }]], stat: "Sum" },
      {
        title: "5xx responses",
        metrics: [
          [NS, "HTTPCode_ELB_5XX_Count", "LoadBalancer", props.albArnSuffix, { stat: "Sum", label: "load balancer" }],
          [NS, "HTTPCode_Target_5XX_Count", "LoadBalancer", props.albArnSuffix, { stat: "Sum", label: "targets" }],
        ],
        stat: "Sum",
        thresholds: [{ value: Math.min(t.elb5xxCount, t.target5xxCount), label: "alarm" }],
      },
      {
        title: "Target response time (s)",
        metrics: [
          [NS, "TargetResponseTime", "LoadBalancer", props.albArnSuffix, { stat: "p50", label: "p50" }],
          [NS, "TargetResponseTime", "LoadBalancer", props.albArnSuffix, { stat: "p99", label: "p99" }],
        ],
        thresholds: [{ value: t.p99LatencySeconds, label: "p99 alarm" }],
      },
    ];
    if (services.length > 0) {
      this.widgets.push(
        { title: "Unhealthy targets", metrics: perGroup("UnHealthyHostCount", "Maximum"), stat: "Maximum", thresholds: [{ value: t.unhealthyHosts, label: "alarm" }] },
        { title: "Healthy targets", metrics: perGroup("HealthyHostCount", "Minimum"), stat: "Minimum" },
        { title: "Requests per target group", metrics: perGroup("RequestCount", "Sum"), stat: "Sum" },
        // web's 5xx are also the site distribution's (its dynamic origin): the CloudFront 5xx alarm points here.
        { title: "Target 5xx per target group", metrics: perGroup("HTTPCode_Target_5XX_Count", "Sum"), stat: "Sum" },
      );
    }
  }
}
