import { problemsAfter } from "../support/config-files";
import { loadEnvironments } from "../../config/load";
import { CONFIG_DIR } from "../support/fixtures";

describe("config: observability layer", () => {
  test("the shipped files are valid", () => {
    for (const env of ["dev", "staging", "prod"]) expect(problemsAfter(env, [])).toEqual([]);
  });

  test("unset thresholds take their defaults", () => {
    const [prod] = loadEnvironments({ dir: CONFIG_DIR, only: ["prod"], displayDir: "config" });
    expect(prod.observability.alarms).toMatchObject({
      periodSeconds: 60,
      database: { cpuPercent: 75, freeStorageGib: 20 },
      cache: { engineCpuPercent: 80, memoryPercent: 80, evictions: 100, replicationLagSeconds: 30 },
      loadBalancer: { elb5xxCount: 10, target5xxCount: 10, p99LatencySeconds: 1.5, unhealthyHosts: 0 },
      nat: { portAllocationErrors: 0, droppedPackets: 100 },
      nodes: { cpuPercent: 80, memoryPercent: 85 },
    });
    expect(prod.observability.activateCostAllocationTag).toBe(false);
  });

  // Bad input named by the issue.
  test("an e-mail that is not an e-mail", () => {
    expect(problemsAfter("dev", [["observability.alarmEmails", ["ops@example.com", "not-an-email"]]])).toEqual([
      'config/dev.yaml: observability.alarmEmails[1]: "not-an-email" — must be an e-mail address such as ops@example.com',
    ]);
  });

  test("a threshold out of range", () => {
    expect(problemsAfter("prod", [["observability.alarms.database.cpuPercent", 150]])).toEqual([
      "config/prod.yaml: observability.alarms.database.cpuPercent: 150 — must be a percentage from 1 to 100",
    ]);
    expect(problemsAfter("prod", [["observability.alarms.nodes.memoryPercent", 0]])).toEqual([
      "config/prod.yaml: observability.alarms.nodes.memoryPercent: 0 — must be a percentage from 1 to 100",
    ]);
  });

  test("a budget that is not a positive amount", () => {
    expect(problemsAfter("staging", [["observability.monthlyBudgetUsd", 0]])).toEqual([
      "config/staging.yaml: observability.monthlyBudgetUsd: 0 — must be a positive amount in USD",
    ]);
    expect(problemsAfter("staging", [["observability.monthlyBudgetUsd", -50]])).toEqual([
      "config/staging.yaml: observability.monthlyBudgetUsd: -50 — must be a positive amount in USD",
    ]);
  });

  // Further settings of the schema.
  test("no address to alert", () => {
    expect(problemsAfter("dev", [["observability.alarmEmails", []]])).toEqual(["config/dev.yaml: observability.alarmEmails: [] — must list at least one address to alert"]);
  });

  test("more addresses than a budget notification takes", () => {
    const emails = Array.from({ length: 11 }, (_, i) => `ops${i}@example.com`);
    expect(problemsAfter("dev", [["observability.alarmEmails", emails]])).toEqual([
      expect.stringMatching(/^config\/dev\.yaml: observability\.alarmEmails: \["ops0@example\.com",.* — must list at most 10 addresses \(AWS Budgets' limit per notification\)$/),
    ]);
  });

  test("free storage and memory thresholds are positive amounts", () => {
    expect(problemsAfter("prod", [["observability.alarms.database.freeStorageGib", 0]])).toEqual([
      "config/prod.yaml: observability.alarms.database.freeStorageGib: 0 — must be a positive number of GiB",
    ]);
    expect(problemsAfter("prod", [["observability.alarms.database.freeableMemoryMib", -1]])).toEqual([
      "config/prod.yaml: observability.alarms.database.freeableMemoryMib: -1 — must be a positive number of MiB",
    ]);
  });

  test("latency and lag thresholds are positive durations", () => {
    expect(problemsAfter("prod", [["observability.alarms.loadBalancer.p99LatencySeconds", 0]])).toEqual([
      "config/prod.yaml: observability.alarms.loadBalancer.p99LatencySeconds: 0 — must be a positive number of seconds",
    ]);
    expect(problemsAfter("prod", [["observability.alarms.cache.replicationLagSeconds", -5]])).toEqual([
      "config/prod.yaml: observability.alarms.cache.replicationLagSeconds: -5 — must be a positive number of seconds",
    ]);
  });

  test("count thresholds are whole numbers, 0 or more", () => {
    expect(problemsAfter("dev", [["observability.alarms.nat.droppedPackets", -1]])).toEqual([
      "config/dev.yaml: observability.alarms.nat.droppedPackets: -1 — must be a whole number, 0 or more (the alarm fires above it)",
    ]);
    expect(problemsAfter("dev", [["observability.alarms.loadBalancer.elb5xxCount", 2.5]])).toEqual([
      "config/dev.yaml: observability.alarms.loadBalancer.elb5xxCount: 2.5 — must be a whole number, 0 or more (the alarm fires above it)",
    ]);
  });

  test("the CloudFront error rate is a percentage above 0", () => {
    expect(problemsAfter("dev", [["observability.alarms.cdn.errorRatePercent", 0]])).toEqual([
      "config/dev.yaml: observability.alarms.cdn.errorRatePercent: 0 — must be a percentage above 0, up to 100",
    ]);
  });

  test("evaluation periods are at least 1", () => {
    expect(problemsAfter("dev", [["observability.alarms.evaluationPeriods", 0]])).toEqual([
      "config/dev.yaml: observability.alarms.evaluationPeriods: 0 — must be a whole number of periods, at least 1",
    ]);
  });

  test("the period is a multiple of 60 seconds", () => {
    expect(problemsAfter("dev", [["observability.alarms.periodSeconds", 90]])).toEqual([
      "config/dev.yaml: observability.alarms.periodSeconds: 90 — must be 60 seconds or a multiple of 60",
    ]);
  });

  test("an unknown threshold is refused", () => {
    expect(problemsAfter("dev", [["observability.alarms.database.cpu", 80]])).toEqual([
      "config/dev.yaml: observability.alarms.database.cpu: 80 — is not a known setting (check its spelling and where it is nested)",
    ]);
  });

  test("an add-on version that is not an EKS add-on version", () => {
    expect(problemsAfter("dev", [["observability.containerInsightsAddonVersion", "4.5.0"]])).toEqual([
      'config/dev.yaml: observability.containerInsightsAddonVersion: "4.5.0" — must be an EKS add-on version such as v4.5.0-eksbuild.1',
    ]);
  });

  // Semantic rules (config/rules/observability.ts).
  test("alarmEmailsUnique: an address is listed once", () => {
    expect(problemsAfter("dev", [["observability.alarmEmails", ["ops@example.com", "OPS@example.com"]]])).toEqual([
      'config/dev.yaml: observability.alarmEmails[1]: "OPS@example.com" — is listed twice',
    ]);
  });

  test("datapointsWithinEvaluation: datapoints to alarm do not exceed the evaluation periods", () => {
    expect(problemsAfter("dev", [["observability.alarms.datapointsToAlarm", 6]])).toEqual([
      "config/dev.yaml: observability.alarms.datapointsToAlarm: 6 — must be at most observability.alarms.evaluationPeriods (5)",
    ]);
  });

  test("evaluationWindow: period x evaluation periods fits CloudWatch's window", () => {
    expect(problemsAfter("prod", [["observability.alarms.evaluationPeriods", 1441]])).toEqual([
      "config/prod.yaml: observability.alarms.evaluationPeriods: 1441 — times periodSeconds (60) must be at most 86400 seconds, the longest window CloudWatch evaluates for that period",
    ]);
    expect(problemsAfter("prod", [["observability.alarms.periodSeconds", 3600], ["observability.alarms.evaluationPeriods", 168]])).toEqual([]);
    expect(problemsAfter("prod", [["observability.alarms.periodSeconds", 3600], ["observability.alarms.evaluationPeriods", 169]])).toEqual([
      "config/prod.yaml: observability.alarms.evaluationPeriods: 169 — times periodSeconds (3600) must be at most 604800 seconds, the longest window CloudWatch evaluates for that period",
    ]);
  });

  test("freeStorageBelowAllocated: the free-storage alarm does not fire on a new database", () => {
    expect(problemsAfter("dev", [["observability.alarms.database.freeStorageGib", 20]])).toEqual([
      "config/dev.yaml: observability.alarms.database.freeStorageGib: 20 — must be less than data.postgres.allocatedStorageGb (20), or the alarm fires on an empty database",
    ]);
  });

  test("addonSupportsPodIdentity: a pinned add-on version supports EKS Pod Identity", () => {
    expect(problemsAfter("dev", [["observability.containerInsightsAddonVersion", "v3.0.9-eksbuild.1"]])).toEqual([
      'config/dev.yaml: observability.containerInsightsAddonVersion: "v3.0.9-eksbuild.1" — must be v3.1.0 or later: earlier add-on versions cannot use EKS Pod Identity',
    ]);
    expect(problemsAfter("dev", [["observability.containerInsightsAddonVersion", "v3.1.0-eksbuild.1"]])).toEqual([]);
    expect(problemsAfter("dev", [["observability.containerInsightsAddonVersion", "v4.0.0"]])).toEqual([]);
  });
});
