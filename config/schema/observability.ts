import { z } from "zod";
import { emailAddress } from "./primitives";

/** The observability layer: alert recipients, budget, alarm thresholds, the Container Insights add-on. */

/** AWS Budgets sends one notification to at most 10 e-mail subscribers (plus one SNS topic). */
export const MAX_BUDGET_EMAILS = 10;

const percent = z.number().min(1, "must be a percentage from 1 to 100").max(100, "must be a percentage from 1 to 100");
const positive = (unit: string) => z.number().positive(`must be a positive number of ${unit}`);
const count = z.number().int("must be a whole number, 0 or more (the alarm fires above it)").min(0, "must be a whole number, 0 or more (the alarm fires above it)");

/** RDS PostgreSQL: the primary's CPU, storage, memory and connections; each replica's lag. */
export const databaseAlarmsSchema = z
  .object({
    cpuPercent: percent.default(80),
    /** The alarm fires when free storage falls below this. */
    freeStorageGib: positive("GiB").default(10),
    /** The alarm fires when freeable memory falls below this. */
    freeableMemoryMib: positive("MiB").default(256),
    /** Client connections; keep it under the instance class's max_connections. */
    connections: count.default(400),
    replicaLagSeconds: positive("seconds").default(60),
  })
  .strict();

/** ElastiCache Redis/Valkey, per member node. */
export const cacheAlarmsSchema = z
  .object({
    engineCpuPercent: percent.default(80),
    memoryPercent: percent.default(80),
    /** Keys evicted per period. */
    evictions: count.default(100),
    replicationLagSeconds: positive("seconds").default(30),
  })
  .strict();

/** The Application Load Balancer and each service's target group. */
export const loadBalancerAlarmsSchema = z
  .object({
    /** 5xx responses the load balancer generates itself, per period. */
    elb5xxCount: count.default(10),
    /** 5xx responses from the targets, per period. */
    target5xxCount: count.default(10),
    /** p99 of the targets' response time. */
    p99LatencySeconds: positive("seconds").default(2),
    /** Unhealthy targets per target group tolerated. */
    unhealthyHosts: count.default(0),
  })
  .strict();

export const cdnAlarmsSchema = z
  .object({
    /** Share of CloudFront requests answered with a 5xx. */
    errorRatePercent: z.number().gt(0, "must be a percentage above 0, up to 100").max(100, "must be a percentage above 0, up to 100").default(5),
  })
  .strict();

export const natAlarmsSchema = z
  .object({
    /** Port-allocation errors per period (the gateway ran out of source ports). */
    portAllocationErrors: count.default(0),
    droppedPackets: count.default(100),
  })
  .strict();

/** Cluster nodes, from Container Insights. */
export const nodeAlarmsSchema = z
  .object({
    cpuPercent: percent.default(80),
    memoryPercent: percent.default(85),
  })
  .strict();

export const alarmsSchema = z
  .object({
    /** Periods a threshold is evaluated over. */
    evaluationPeriods: z.number().int("must be a whole number of periods, at least 1").min(1, "must be a whole number of periods, at least 1").default(3),
    /** Breaching periods among them that fire the alarm. Default: all of them. */
    datapointsToAlarm: z.number().int("must be a whole number of periods, at least 1").min(1, "must be a whole number of periods, at least 1").optional(),
    /** Length of a period (standard-resolution metrics: 60 or a multiple of it). */
    periodSeconds: z
      .number()
      .int("must be 60 seconds or a multiple of 60")
      .refine((p) => p >= 60 && p % 60 === 0, { message: "must be 60 seconds or a multiple of 60" })
      .default(60),
    database: databaseAlarmsSchema.prefault({}),
    cache: cacheAlarmsSchema.prefault({}),
    loadBalancer: loadBalancerAlarmsSchema.prefault({}),
    cdn: cdnAlarmsSchema.prefault({}),
    nat: natAlarmsSchema.prefault({}),
    nodes: nodeAlarmsSchema.prefault({}),
  })
  .strict();

export const observabilitySchema = z
  .object({
    alarmEmails: z
      .array(emailAddress)
      .min(1, "must list at least one address to alert")
      .max(MAX_BUDGET_EMAILS, `must list at most ${MAX_BUDGET_EMAILS} addresses (AWS Budgets' limit per notification)`),
    monthlyBudgetUsd: z.number().positive("must be a positive amount in USD"),
    /**
     * Activates the `Environment` tag as a cost allocation tag (the budget counts only
     * costs carrying it). Only a standalone or management account may; in an AWS
     * Organization activate it in the management account and leave this false.
     */
    activateCostAllocationTag: z.boolean().default(false),
    /** Pinned `amazon-cloudwatch-observability` add-on version. Default: EKS's default for the cluster's Kubernetes version. */
    containerInsightsAddonVersion: z
      .string()
      .regex(/^v\d+\.\d+\.\d+(-eksbuild\.\d+)?$/, "must be an EKS add-on version such as v4.5.0-eksbuild.1")
      .optional(),
    alarms: alarmsSchema.prefault({}),
  })
  .strict();

export type ObservabilityConfig = z.infer<typeof observabilitySchema>;
export type AlarmsConfig = z.infer<typeof alarmsSchema>;
