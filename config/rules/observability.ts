import { problem, type ConfigRule } from "./types";

/** Alert recipients, alarm evaluation and thresholds that depend on other layers' settings. */

/** CloudWatch evaluates an alarm over at most one day when its period is under an hour, seven days otherwise. */
const MAX_EVALUATION_SECONDS = (periodSeconds: number) => (periodSeconds < 3600 ? 86_400 : 604_800);

/** The add-on supports EKS Pod Identity from this version (CloudWatch user guide, "Quick start with the Amazon CloudWatch Observability EKS add-on"). */
const POD_IDENTITY_ADDON_VERSION = [3, 1, 0] as const;

export const alarmEmailsUnique: ConfigRule = (env) =>
  env.observability.alarmEmails.flatMap((e, i) =>
    env.observability.alarmEmails.findIndex((o) => o.toLowerCase() === e.toLowerCase()) !== i ? [problem(`observability.alarmEmails[${i}]`, e, "is listed twice")] : [],
  );

export const datapointsWithinEvaluation: ConfigRule = (env) => {
  const a = env.observability.alarms;
  return a.datapointsToAlarm !== undefined && a.datapointsToAlarm > a.evaluationPeriods
    ? [problem("observability.alarms.datapointsToAlarm", a.datapointsToAlarm, `must be at most observability.alarms.evaluationPeriods (${a.evaluationPeriods})`)]
    : [];
};

export const evaluationWindow: ConfigRule = (env) => {
  const a = env.observability.alarms;
  const max = MAX_EVALUATION_SECONDS(a.periodSeconds);
  return a.periodSeconds * a.evaluationPeriods > max
    ? [
        problem(
          "observability.alarms.evaluationPeriods",
          a.evaluationPeriods,
          `times periodSeconds (${a.periodSeconds}) must be at most ${max} seconds, the longest window CloudWatch evaluates for that period`,
        ),
      ]
    : [];
};

export const freeStorageBelowAllocated: ConfigRule = (env) => {
  const free = env.observability.alarms.database.freeStorageGib;
  const allocated = env.data.postgres.allocatedStorageGb;
  return free >= allocated
    ? [problem("observability.alarms.database.freeStorageGib", free, `must be less than data.postgres.allocatedStorageGb (${allocated}), or the alarm fires on an empty database`)]
    : [];
};

export const addonSupportsPodIdentity: ConfigRule = (env) => {
  const version = env.observability.containerInsightsAddonVersion;
  if (version === undefined) return [];
  const [major, minor, patch] = version.slice(1).split(/[.-]/).map(Number);
  const [M, m, p] = POD_IDENTITY_ADDON_VERSION;
  const supported = major !== M ? major > M : minor !== m ? minor > m : patch >= p;
  return supported
    ? []
    : [problem("observability.containerInsightsAddonVersion", version, `must be v${POD_IDENTITY_ADDON_VERSION.join(".")} or later: earlier add-on versions cannot use EKS Pod Identity`)];
};

export const observabilityRules: readonly ConfigRule[] = [alarmEmailsUnique, datapointsWithinEvaluation, evaluationWindow, freeStorageBelowAllocated, addonSupportsPodIdentity];
