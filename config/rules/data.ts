import { problem, type ConfigRule } from "./types";

/** PostgreSQL, cache, buckets and reservations. */

export const replicasNeedBackups: ConfigRule = (env) =>
  env.data.postgres.readReplicas > 0 && env.data.postgres.backupRetentionDays === 0
    ? [problem("data.postgres.backupRetentionDays", 0, `must be above 0 when readReplicas is ${env.data.postgres.readReplicas}: RDS creates replicas only from a backed-up source`)]
    : [];

export const productionBackupRetention: ConfigRule = (env) =>
  env.isProduction && env.data.postgres.backupRetentionDays < 7
    ? [problem("data.postgres.backupRetentionDays", env.data.postgres.backupRetentionDays, "must be at least 7 days in a production environment")]
    : [];

export const multiAzNeedsTwoAzs: ConfigRule = (env) =>
  env.data.postgres.multiAz && env.availabilityZones.length < 2
    ? [problem("data.postgres.multiAz", true, "needs at least 2 availability zones")]
    : [];

export const storageCeiling: ConfigRule = (env) =>
  env.data.postgres.maxAllocatedStorageGb < env.data.postgres.allocatedStorageGb
    ? [problem("data.postgres.maxAllocatedStorageGb", env.data.postgres.maxAllocatedStorageGb, `must be at least allocatedStorageGb (${env.data.postgres.allocatedStorageGb})`)]
    : [];

export const cacheFailoverNodes: ConfigRule = (env) =>
  env.data.cache.nodeCount < 2
    ? [problem("data.cache.nodeCount", env.data.cache.nodeCount, "must be at least 2: automatic failover needs a replica")]
    : [];

export const reservationsConfirmed: ConfigRule = (env) =>
  (["rds", "elasticache"] as const).flatMap((kind) =>
    env.data.reservations[kind].flatMap((r, i) =>
      r.confirm ? [] : [problem(`data.reservations.${kind}[${i}].confirm`, r.confirm, "must be true: a reservation is a purchase and needs explicit confirmation")],
    ),
  );

export const dataRules: readonly ConfigRule[] = [
  replicasNeedBackups,
  productionBackupRetention,
  multiAzNeedsTwoAzs,
  storageCeiling,
  cacheFailoverNodes,
  reservationsConfirmed,
];
