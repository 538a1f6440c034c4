import { z } from "zod";
import { nameToken } from "./primitives";

/** The data layer: PostgreSQL, Redis/Valkey, buckets and reserved capacity. */

const window = (what: string) =>
  z
    .string()
    .regex(/^(mon|tue|wed|thu|fri|sat|sun):\d{2}:\d{2}-(mon|tue|wed|thu|fri|sat|sun):\d{2}:\d{2}$/i, `must be a ${what} window such as sun:03:00-sun:04:00`);

export const postgresSchema = z
  .object({
    /** Major version; AWS applies minor upgrades automatically. */
    engineVersion: z.enum(["16", "17", "18"], { error: "must be a PostgreSQL major version RDS supports: 16, 17 or 18" }),
    instanceClass: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, "must be an RDS instance class such as db.r7g.large"),
    allocatedStorageGb: z.number().int().min(20).max(65536),
    maxAllocatedStorageGb: z.number().int().min(20).max(65536),
    multiAz: z.boolean(),
    /** Read replicas of the primary, spread over the AZs (RDS for PostgreSQL allows at most 15). */
    readReplicas: z.number().int().min(0),
    /** Default: the primary's instanceClass. */
    replicaInstanceClass: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, "must be an RDS instance class such as db.r7g.large").optional(),
    backupRetentionDays: z.number().int().min(0).max(35),
    /**
     * Days the DR region keeps a replica of the primary's automated backups (point-in-time recovery
     * there, encrypted with the DR key). Absent: no cross-region copy (production requires one).
     */
    drBackupRetentionDays: z.number().int().min(1).max(35).optional(),
    /**
     * Logical dumps (pg_dump, custom format, compressed) written by a CronJob in the cluster to the
     * backups bucket under `postgres/<yyyy>/<mm>/<dd>/`. Absent: none.
     */
    dumps: z
      .object({
        /** Kubernetes CronJob schedule (UTC), e.g. "30 4 * * *". */
        schedule: z.string().regex(/^(\S+\s+){4}\S+$/, "must be a five-field cron schedule such as 30 4 * * *"),
        /** The PostgreSQL role pg_dump logs in as with an IAM token; the database provisioner creates it read-only (schema public). */
        roleName: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, "must be a PostgreSQL identifier").default("upskill_dump"),
        /** Scratch space for one dump, GiB (an ephemeral volume of the pod). */
        scratchGi: z.number().int().min(1).max(1000).default(20),
        /** The missed-dump alarm fires after this many hours without a dump (daily schedule: 26). At most 168. */
        maxHoursBetweenDumps: z.number().int().min(1).max(168).default(26),
      })
      .strict()
      .optional(),
    backupWindow: z.string().regex(/^\d{2}:\d{2}-\d{2}:\d{2}$/, "must be a UTC window such as 02:00-03:00").default("02:00-03:00"),
    maintenanceWindow: window("maintenance").default("sun:04:00-sun:05:00"),
    /** Default: `<project>-<env>-postgres`. */
    identifier: z.string().optional(),
    databaseName: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, "must be a PostgreSQL identifier: lower-case letter first, then letters, digits, '_'").default("upskill"),
    /** Enhanced monitoring granularity, seconds. */
    monitoringIntervalSeconds: z
      .union([z.literal(1), z.literal(5), z.literal(10), z.literal(15), z.literal(30), z.literal(60)], { error: "must be one of the enhanced monitoring intervals: 1, 5, 10, 15, 30 or 60" })
      .default(60),
    /** Days Performance Insights keeps its data: 7 (free tier), 731, or a multiple of 31 in between. */
    performanceInsightsRetentionDays: z
      .number()
      .int()
      .refine((d) => d === 7 || d === 731 || (d > 0 && d < 731 && d % 31 === 0), { message: "must be 7, 731 or a multiple of 31 below 731 (what Performance Insights accepts)" })
      .default(7),
    /** Statements running longer than this are logged, milliseconds. */
    logMinDurationStatementMs: z.number().int().min(0).default(1000),
  })
  .strict();

export const cacheSchema = z
  .object({
    engine: z.enum(["redis", "valkey"]).default("redis"),
    /** `<major>.<minor>`; the supported ones per engine are listed in config/rules/data.ts. */
    engineVersion: z.string().regex(/^\d+\.\d+$/, "must be <major>.<minor>, such as 7.1 or 8.1"),
    nodeType: z.string().regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, "must be an ElastiCache node type such as cache.r7g.large"),
    /** Nodes in the replication group (one primary, the rest replicas), spread over the AZs. */
    nodeCount: z.number().int().min(1),
    snapshotRetentionDays: z.number().int().min(0).max(35).default(7),
    snapshotWindow: z.string().regex(/^\d{2}:\d{2}-\d{2}:\d{2}$/, "must be a UTC window such as 03:00-04:00").default("03:00-04:00"),
    maintenanceWindow: window("maintenance").default("sun:05:00-sun:06:00"),
  })
  .strict();

export const bucketsSchema = z
  .object({
    /** Days a superseded object version is kept before it expires. */
    noncurrentVersionDays: z.number().int().min(1).max(3650).default(90),
    /** Origins allowed to upload with presigned URLs (CORS). */
    uploadCorsOrigins: z.array(z.string().url()).default([]),
    /**
     * Opt-in archive tiers of the uploads bucket's Intelligent-Tiering. Archived objects are not
     * readable until restored (hours), so `restoredBy` must name the app service (with uploads
     * access) that restores them; it is granted s3:RestoreObject. Default: automatic tiers only.
     */
    uploadsArchive: z
      .object({
        archiveAccessDays: z.number().int().min(90).max(730).default(90),
        deepArchiveAccessDays: z.number().int().min(180).max(730).optional(),
        restoredBy: nameToken.optional(),
      })
      .strict()
      .optional(),
    /** Database dumps move to S3 Glacier Flexible Retrieval after this many days... */
    backupsGlacierAfterDays: z.number().int().min(1).default(30),
    /** ...then to Glacier Deep Archive (optional; at least 90 days later). */
    backupsDeepArchiveAfterDays: z.number().int().min(1).optional(),
    /** ...and expire after this many days. */
    backupsExpireAfterDays: z.number().int().min(1).default(3650),
    replication: z
      .object({
        uploads: z.boolean().default(true),
        backups: z.boolean().default(true),
        deleteMarkers: z.boolean().default(false),
        replicaModifications: z.boolean().default(true),
      })
      .strict()
      .default({ uploads: true, backups: true, deleteMarkers: false, replicaModifications: true }),
  })
  .strict();

/** How a reservation is bought: term, payment, and the explicit go-ahead (a purchase cannot be undone). */
const reservationTerm = {
  termYears: z.union([z.literal(1), z.literal(3)], { error: "must be 1 or 3 (the terms AWS sells)" }),
  payment: z.enum(["No Upfront", "Partial Upfront", "All Upfront"], { error: "must be No Upfront, Partial Upfront or All Upfront" }),
  /** false (default): the offering is only looked up and shown in the plan's `reservations` output. */
  confirm: z.boolean().default(false),
};

/** Reserved database instances: the primary (its class and Multi-AZ setting) or the read replicas (theirs). */
const rdsReservation = z
  .object({
    tier: z.enum(["primary", "replicas"], { error: "must be primary or replicas" }),
    /** Default: every instance of the tier (1 primary, or readReplicas). */
    count: z.number().int().min(1).optional(),
    ...reservationTerm,
  })
  .strict();

/** Reserved cache nodes (the configured node type and engine). */
const cacheReservation = z
  .object({
    /** Default: every node (data.cache.nodeCount). */
    count: z.number().int().min(1).optional(),
    ...reservationTerm,
  })
  .strict();

export const dataSchema = z
  .object({
    postgres: postgresSchema,
    cache: cacheSchema,
    buckets: bucketsSchema.default({
      noncurrentVersionDays: 90,
      uploadCorsOrigins: [],
      backupsGlacierAfterDays: 30,
      backupsExpireAfterDays: 3650,
      replication: { uploads: true, backups: true, deleteMarkers: false, replicaModifications: true },
    }),
    reservations: z
      .object({
        rds: z.array(rdsReservation).default([]),
        elasticache: z.array(cacheReservation).default([]),
      })
      .strict()
      .default({ rds: [], elasticache: [] }),
  })
  .strict();

export type DataConfig = z.infer<typeof dataSchema>;
