import { Construct } from "constructs";
import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { MetricWidget } from "../dashboard/dashboard";
import { metricAlarm, ONE_EVENT, type TierAlarmsProps } from "./metric-alarm";

export interface BackupAlarmsProps extends TierAlarmsProps {
  /** The AWS Backup vault whose jobs are watched. */
  readonly vaultName: string;
}

const NS = "AWS/Backup";

/** The job metrics watched, by alarm name part. */
const JOB_METRICS = {
  "jobs-failed": { metric: "NumberOfBackupJobsFailed", what: "A backup job failed" },
  "jobs-aborted": { metric: "NumberOfBackupJobsAborted", what: "A backup job was aborted" },
  "copy-jobs-failed": { metric: "NumberOfCopyJobsFailed", what: "A copy of a recovery point to the DR region failed" },
} as const;

/**
 * AWS Backup alarms on one vault: failed and aborted backup jobs and failed copy
 * jobs. A single job is one datapoint among hours of silence, so these evaluate
 * one five-minute period (not the tier's evaluation) and silence is not breaching.
 */
export class BackupAlarms extends Construct {
  readonly alarms: CloudwatchMetricAlarm[] = [];
  readonly widgets: MetricWidget[];

  constructor(scope: Construct, id: string, props: BackupAlarmsProps) {
    super(scope, id);
    const dims = { BackupVaultName: props.vaultName };
    for (const [part, { metric, what }] of Object.entries(JOB_METRICS)) {
      this.alarms.push(
        metricAlarm(this, part, props, {
          name: `${props.prefix}-backup-${part}`,
          description: `${what} (vault ${props.vaultName}): see the job's status message in the AWS Backup console.`,
          namespace: NS,
          metricName: metric,
          dimensions: dims,
          statistic: "Sum",
          comparison: "GreaterThanThreshold",
          threshold: 0,
          treatMissingData: "notBreaching",
          evaluation: ONE_EVENT,
        }),
      );
    }
    const line = (metric: string, label: string) => [NS, metric, "BackupVaultName", props.vaultName, { stat: "Sum", label }];
    this.widgets = [
      {
        title: "Backup jobs",
        metrics: [line("NumberOfBackupJobsCompleted", "completed"), line("NumberOfBackupJobsFailed", "failed"), line("NumberOfBackupJobsAborted", "aborted")],
        stat: "Sum",
        period: 3600,
      },
      { title: "Copy jobs (DR region)", metrics: [line("NumberOfCopyJobsCompleted", "completed"), line("NumberOfCopyJobsFailed", "failed")], stat: "Sum", period: 3600 },
    ];
  }
}
