import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { MetricWidget } from "../dashboard/dashboard";
import { metricAlarm, type TierAlarmsProps } from "./metric-alarm";

export interface CdnAlarmsProps extends TierAlarmsProps {
  /** The CloudFront distribution's id. */
  readonly distributionId: string;
  /** Fires above this share of 5xx responses, percent. */
  readonly errorRatePercent: number;
  /**
   * CloudFront publishes its metrics in us-east-1 only: give the stack's us-east-1
   * provider, and a topic of that region as topicArn.
   */
  readonly provider: TerraformProvider;
}

/** CloudFront metrics are in us-east-1, with the dimension Region=Global. */
export const CLOUDFRONT_METRICS_REGION = "us-east-1";
const NS = "AWS/CloudFront";

/**
 * CloudFront's 5xx error rate. The metric is published only while requests
 * arrive, so silence is not breaching.
 */
export class CdnAlarms extends Construct {
  readonly alarms: CloudwatchMetricAlarm[] = [];
  readonly widgets: MetricWidget[];

  constructor(scope: Construct, id: string, props: CdnAlarmsProps) {
    super(scope, id);
    if (!props.provider) throw new Error(`CdnAlarms ${id}: give the us-east-1 provider; CloudFront's metrics exist only there`);
    if (!(props.errorRatePercent > 0 && props.errorRatePercent <= 100)) throw new Error(`CdnAlarms ${id}: errorRatePercent must be above 0 and at most 100, got ${props.errorRatePercent}`);
    const dims = { DistributionId: props.distributionId, Region: "Global" };
    this.alarms.push(
      metricAlarm(this, "5xx-rate", props, {
        name: `${props.prefix}-cdn-5xx-rate`,
        description: `More than ${props.errorRatePercent}% of CloudFront's responses are 5xx: check the origins, web through the load balancer (the web target group's 5xx and healthy targets; a 502 is TLS to the origin name) and the assets bucket (bucket policy, OAC, key), and CloudFront's logs.`,
        namespace: NS,
        metricName: "5xxErrorRate",
        dimensions: dims,
        statistic: "Average",
        comparison: "GreaterThanThreshold",
        threshold: props.errorRatePercent,
        treatMissingData: "notBreaching",
      }),
    );
    const line = (metric: string, stat: string, label?: string) => [NS, metric, "DistributionId", props.distributionId, "Region", "Global", { stat, ...(label ? { label } : {}) }];
    this.widgets = [
      { title: "CloudFront requests", metrics: [line("Requests", "Sum")], stat: "Sum", region: CLOUDFRONT_METRICS_REGION },
      {
        title: "CloudFront error rates (%)",
        metrics: [line("4xxErrorRate", "Average", "4xx"), line("5xxErrorRate", "Average", "5xx")],
        region: CLOUDFRONT_METRICS_REGION,
        thresholds: [{ value: props.errorRatePercent, label: "5xx alarm" }],
      },
      { title: "CloudFront bytes downloaded", metrics: [line("BytesDownloaded", "Sum")], stat: "Sum", region: CLOUDFRONT_METRICS_REGION },
    ];
  }
}
