import type { Construct } from "constructs";
import { Fn, TerraformIterator, Token, type TerraformProvider } from "cdktf";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";

/**
 * What a missing datapoint counts as. `breaching` where silence means the thing is
 * down (health checks, unhealthy hosts, replica lag); `notBreaching` where it means
 * idle (error counts that are only published when non-zero); `missing` where the
 * metric is always published while the resource runs.
 */
export type TreatMissingData = "breaching" | "notBreaching" | "missing" | "ignore";

export type ComparisonOperator = "GreaterThanThreshold" | "GreaterThanOrEqualToThreshold" | "LessThanThreshold" | "LessThanOrEqualToThreshold";

/** How long a threshold must be crossed: `datapointsToAlarm` of the last `evaluationPeriods` periods of `periodSeconds`. */
export interface AlarmEvaluation {
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  /** Default: evaluationPeriods (every period breaching). */
  readonly datapointsToAlarm?: number;
}

/** Evaluation for rare events (a failed backup job): one breaching datapoint of five minutes alarms. */
export const ONE_EVENT: AlarmEvaluation = { periodSeconds: 300, evaluationPeriods: 1, datapointsToAlarm: 1 };

/** What every alarm construct of a tier takes. */
export interface TierAlarmsProps {
  /** `<project>-<env>`: alarm names are `<prefix>-<tier>-<what>`. */
  readonly prefix: string;
  /** The topic notified on ALARM and on OK; it must be in the alarms' region. */
  readonly topicArn: string;
  readonly evaluation: AlarmEvaluation;
  /** Default: the stack's default AWS provider (the alarms' region). */
  readonly provider?: TerraformProvider;
}

export interface MetricAlarmSpec {
  /** The full alarm name, `<prefix>-<tier>-<what>`. */
  readonly name: string;
  /** What it means and what to look at first. */
  readonly description: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** One of statistic or extendedStatistic (e.g. `p99`). */
  readonly statistic?: "Average" | "Sum" | "Minimum" | "Maximum" | "SampleCount";
  readonly extendedStatistic?: string;
  readonly comparison: ComparisonOperator;
  readonly threshold: number;
  readonly treatMissingData: TreatMissingData;
  /** Default: the tier's evaluation. */
  readonly evaluation?: AlarmEvaluation;
  /** One resource for every item of a list reference (see membersOf). Default: none, a single alarm. */
  readonly forEach?: TerraformIterator;
}

/** Checks an evaluation the way PutMetricAlarm does. */
export function validateEvaluation(where: string, e: AlarmEvaluation): void {
  const fail = (msg: string): never => {
    throw new Error(`${where}: ${msg}`);
  };
  if (!Number.isInteger(e.periodSeconds) || e.periodSeconds < 60 || e.periodSeconds % 60 !== 0) fail(`periodSeconds must be 60 or a multiple of 60, got ${e.periodSeconds}`);
  if (!Number.isInteger(e.evaluationPeriods) || e.evaluationPeriods < 1) fail(`evaluationPeriods must be a whole number, at least 1, got ${e.evaluationPeriods}`);
  const max = e.periodSeconds < 3600 ? 86_400 : 604_800;
  if (e.periodSeconds * e.evaluationPeriods > max) fail(`periodSeconds x evaluationPeriods must be at most ${max} seconds, got ${e.periodSeconds * e.evaluationPeriods}`);
  const d = e.datapointsToAlarm;
  if (d !== undefined && (!Number.isInteger(d) || d < 1 || d > e.evaluationPeriods)) fail(`datapointsToAlarm must be 1-${e.evaluationPeriods} (evaluationPeriods), got ${d}`);
}

/**
 * One `aws_cloudwatch_metric_alarm` that notifies the topic both when it fires and
 * when it recovers, so a page always has its all-clear.
 */
export function metricAlarm(scope: Construct, id: string, props: TierAlarmsProps, spec: MetricAlarmSpec): CloudwatchMetricAlarm {
  const e = spec.evaluation ?? props.evaluation;
  validateEvaluation(`alarm ${spec.name}`, e);
  if ((spec.statistic === undefined) === (spec.extendedStatistic === undefined)) throw new Error(`alarm ${spec.name}: give exactly one of statistic and extendedStatistic`);
  if (!Token.isUnresolved(spec.name) && !spec.name.startsWith(`${props.prefix}-`)) throw new Error(`alarm ${spec.name}: the name must start with ${props.prefix}-`);
  return new CloudwatchMetricAlarm(scope, id, {
    alarmName: spec.name,
    alarmDescription: spec.description,
    namespace: spec.namespace,
    metricName: spec.metricName,
    dimensions: { ...spec.dimensions },
    statistic: spec.statistic,
    extendedStatistic: spec.extendedStatistic,
    comparisonOperator: spec.comparison,
    threshold: spec.threshold,
    period: e.periodSeconds,
    evaluationPeriods: e.evaluationPeriods,
    datapointsToAlarm: e.datapointsToAlarm ?? e.evaluationPeriods,
    treatMissingData: spec.treatMissingData,
    alarmActions: [props.topicArn],
    okActions: [props.topicArn],
    forEach: spec.forEach,
    provider: props.provider,
  });
}

/** One member of a list of resources an alarm is made for. */
export interface Member {
  /** The member's id (literal, a reference, or the iterator's value). */
  readonly id: string;
  /** Ends the alarm name and the construct id: the position (1, 2...) or a short literal. */
  readonly suffix: string;
  /** Set when the list is a single reference: one resource with for_each stands for all. */
  readonly forEach?: TerraformIterator;
}

/**
 * The members of a list: one per element when the list's length is known at
 * synthesis (literals or per-element references), else one for_each member over
 * the whole list reference (e.g. a replication group's `member_clusters`).
 * `shortName` turns a literal id into a suffix; default: the position.
 */
export function membersOf(ids: readonly string[], shortName?: (id: string, index: number) => string | undefined): Member[] {
  if (Token.isUnresolved(ids)) {
    const forEach = TerraformIterator.fromList(ids as string[]);
    return [{ id: forEach.value, suffix: "each", forEach }];
  }
  return ids.map((id, i) => ({ id, suffix: (!Token.isUnresolved(id) && shortName?.(id, i)) || String(i + 1) }));
}

/** The alarm name's last part for a member: its suffix, or (for_each) the id with `stripPrefix` removed. */
export function memberLabel(m: Member, stripPrefix?: string): string {
  if (!m.forEach) return m.suffix;
  return stripPrefix ? Fn.replace(m.id, stripPrefix, "") : m.id;
}
