import { Construct } from "constructs";
import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { MetricWidget } from "../dashboard/dashboard";
import { metricAlarm, type TierAlarmsProps } from "./metric-alarm";
import { DUMP_METRICS_FILTER } from "../database-dump/dump-location";

export interface DumpAlarmsProps extends TierAlarmsProps {
  /** The backups bucket the dump job writes to (with the request-metrics filter `DUMP_METRICS_FILTER`). */
  readonly bucketName: string;
  /** Hours without a dump arriving before the alarm fires (a daily schedule: 26). 1-168. */
  readonly maxHoursBetweenDumps: number;
}

/**
 * The missed-dump alarm: no PutRequests under the dumps' prefix for `maxHoursBetweenDumps` hours.
 * The job uploads only after pg_dump succeeded, so a failed, missed or never-scheduled run all
 * look the same here: silence, which is breaching.
 */
export class DumpAlarms extends Construct {
  readonly alarm: CloudwatchMetricAlarm;
  readonly widgets: MetricWidget[];

  constructor(scope: Construct, id: string, props: DumpAlarmsProps) {
    super(scope, id);
    const hours = props.maxHoursBetweenDumps;
    if (!Number.isInteger(hours) || hours < 1 || hours > 168) throw new Error(`DumpAlarms ${id}: maxHoursBetweenDumps must be 1-168 (CloudWatch evaluates at most 7 days), got ${hours}`);
    const dims = { BucketName: props.bucketName, FilterId: DUMP_METRICS_FILTER };
    this.alarm = metricAlarm(this, "missed", props, {
      name: `${props.prefix}-database-dump-missed`,
      description: `No database dump reached s3://${props.bucketName}/postgres/ in ${hours} hours: look at the last jobs of the CronJob ${props.prefix}-database-dump (kubectl -n upskill get jobs) and their pods' logs; runbook docs/runbooks/database-restore.md.`,
      namespace: "AWS/S3",
      metricName: "PutRequests",
      dimensions: dims,
      statistic: "Sum",
      comparison: "LessThanThreshold",
      threshold: 1,
      // S3 publishes request metrics only for periods with requests: silence is the missed dump.
      treatMissingData: "breaching",
      evaluation: { periodSeconds: 3600, evaluationPeriods: hours, datapointsToAlarm: hours },
    });
    this.widgets = [{ title: "Database dumps uploaded", metrics: [["AWS/S3", "PutRequests", "BucketName", props.bucketName, "FilterId", DUMP_METRICS_FILTER, { stat: "Sum", label: "dump uploads" }]], stat: "Sum", period: 86400 }];
  }
}
