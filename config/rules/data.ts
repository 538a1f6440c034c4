import { problem, type ConfigRule } from "./types";

/** PostgreSQL, cache, buckets and reservations. */

/** RDS for PostgreSQL: read replicas one source instance may have. */
export const MAX_POSTGRES_READ_REPLICAS = 15;
/** ElastiCache (cluster mode disabled): one primary and at most 5 replicas. */
export const MAX_CACHE_NODES = 6;
/** Engine versions the cache module supports, per engine (the parameter group family follows the major). */
export const SUPPORTED_CACHE_VERSIONS: Readonly<Record<"redis" | "valkey", readonly string[]>> = {
  // 7.1 is the last Redis OSS line on ElastiCache; IAM authentication needs 7.0 or later.
  redis: ["7.1"],
  valkey: ["8.0", "8.1", "8.2", "9.0"],
};

export const backupsRequired: ConfigRule = (env) =>
  env.data.postgres.readReplicas === 0 && env.data.postgres.backupRetentionDays === 0
    ? [problem("data.postgres.backupRetentionDays", 0, "must be at least 1: automated backups and point-in-time recovery protect every database")]
    : [];

export const productionDatabaseDrCopy: ConfigRule = (env) =>
  env.isProduction && env.data.postgres.drBackupRetentionDays === undefined
    ? [problem("data.postgres.drBackupRetentionDays", undefined, `must be set in a production environment: the database's automated backups are replicated to ${env.drRegion} so a regional outage leaves it restorable`)]
    : [];

export const productionDatabaseDumps: ConfigRule = (env) =>
  env.isProduction && env.data.postgres.dumps === undefined
    ? [problem("data.postgres.dumps", undefined, "must be set in a production environment: logical dumps in the backups bucket restore one table or another engine version, which snapshots cannot")]
    : [];

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

export const productionMultiAz: ConfigRule = (env) =>
  env.isProduction && !env.data.postgres.multiAz
    ? [problem("data.postgres.multiAz", false, "must be true in a production environment: a standby in another AZ takes over when the primary's AZ fails")]
    : [];

export const replicaLimit: ConfigRule = (env) =>
  env.data.postgres.readReplicas > MAX_POSTGRES_READ_REPLICAS
    ? [problem("data.postgres.readReplicas", env.data.postgres.readReplicas, `must be at most ${MAX_POSTGRES_READ_REPLICAS}: RDS for PostgreSQL allows ${MAX_POSTGRES_READ_REPLICAS} read replicas per source`)]
    : [];

export const productionReplicas: ConfigRule = (env) =>
  env.isProduction && env.data.postgres.readReplicas < 1
    ? [problem("data.postgres.readReplicas", env.data.postgres.readReplicas, "must be at least 1 in a production environment")]
    : [];

export const replicasNeedTwoAzs: ConfigRule = (env) =>
  env.data.postgres.readReplicas > 0 && env.availabilityZones.length < 2
    ? [problem("data.postgres.readReplicas", env.data.postgres.readReplicas, "needs at least 2 availability zones: replicas are placed apart from the primary")]
    : [];

export const storageCeiling: ConfigRule = (env) =>
  env.data.postgres.maxAllocatedStorageGb < env.data.postgres.allocatedStorageGb
    ? [problem("data.postgres.maxAllocatedStorageGb", env.data.postgres.maxAllocatedStorageGb, `must be at least allocatedStorageGb (${env.data.postgres.allocatedStorageGb})`)]
    : [];

export const cacheEngineVersion: ConfigRule = (env) => {
  const { engine, engineVersion } = env.data.cache;
  const supported = SUPPORTED_CACHE_VERSIONS[engine];
  return supported.includes(engineVersion)
    ? []
    : [problem("data.cache.engineVersion", engineVersion, `must be a ${engine} version this platform supports: ${supported.join(", ")}`)];
};

export const cacheFailoverNodes: ConfigRule = (env) =>
  env.data.cache.nodeCount < 2
    ? [problem("data.cache.nodeCount", env.data.cache.nodeCount, "must be at least 2: automatic failover needs a replica")]
    : [];

export const cacheNodeLimit: ConfigRule = (env) =>
  env.data.cache.nodeCount > MAX_CACHE_NODES
    ? [problem("data.cache.nodeCount", env.data.cache.nodeCount, `must be at most ${MAX_CACHE_NODES}: a replication group has one primary and at most 5 replicas`)]
    : [];

export const productionCacheNodes: ConfigRule = (env) =>
  env.isProduction && env.data.cache.nodeCount >= 2 && env.data.cache.nodeCount < 3
    ? [problem("data.cache.nodeCount", env.data.cache.nodeCount, "must be at least 3 in a production environment: one node per AZ")]
    : [];

export const cacheSnapshots: ConfigRule = (env) =>
  env.data.cache.snapshotRetentionDays < 1
    ? [problem("data.cache.snapshotRetentionDays", env.data.cache.snapshotRetentionDays, "must be at least 1: daily snapshots keep the cache's data recoverable")]
    : [];

export const backupsLifecycleOrder: ConfigRule = (env) => {
  const b = env.data.buckets;
  const out = [];
  if (b.backupsDeepArchiveAfterDays !== undefined && b.backupsDeepArchiveAfterDays < b.backupsGlacierAfterDays + 90) {
    out.push(problem("data.buckets.backupsDeepArchiveAfterDays", b.backupsDeepArchiveAfterDays, `must be at least 90 days after backupsGlacierAfterDays (${b.backupsGlacierAfterDays}): Glacier bills 90 days at least`));
  }
  const lastMove = b.backupsDeepArchiveAfterDays ?? b.backupsGlacierAfterDays;
  if (b.backupsExpireAfterDays <= lastMove) {
    out.push(problem("data.buckets.backupsExpireAfterDays", b.backupsExpireAfterDays, `must be after the last transition (day ${lastMove}): dumps would expire before they are archived`));
  }
  return out;
};

export const uploadsArchiveRestorePath: ConfigRule = (env) => {
  const a = env.data.buckets.uploadsArchive;
  if (!a) return [];
  const out = [];
  if (a.restoredBy === undefined) {
    out.push(problem("data.buckets.uploadsArchive.restoredBy", undefined, "must name the app service that restores archived uploads: objects in the archive tiers are unreadable (InvalidObjectState) until restored"));
  } else {
    const service = env.app.services.find((s) => s.name === a.restoredBy);
    if (!service?.uploadsAccess) {
      out.push(problem("data.buckets.uploadsArchive.restoredBy", a.restoredBy, `must be an app service with uploadsAccess: true (${env.app.services.filter((s) => s.uploadsAccess).map((s) => s.name).join(", ") || "none has it"})`));
    }
  }
  if (a.deepArchiveAccessDays !== undefined && a.deepArchiveAccessDays <= a.archiveAccessDays) {
    out.push(problem("data.buckets.uploadsArchive.deepArchiveAccessDays", a.deepArchiveAccessDays, `must be greater than archiveAccessDays (${a.archiveAccessDays})`));
  }
  return out;
};

export const corsOriginsHttps: ConfigRule = (env) =>
  env.data.buckets.uploadCorsOrigins.flatMap((o, i) =>
    /^https:\/\/[^/]+$/.test(o) ? [] : [problem(`data.buckets.uploadCorsOrigins[${i}]`, o, "must be an https origin without a path, such as https://app.example.com")],
  );

/** Instances of a reserved tier that config runs. */
export function reservableCount(env: Parameters<ConfigRule>[0], kind: "rds" | "elasticache", tier?: "primary" | "replicas"): number {
  if (kind === "elasticache") return env.data.cache.nodeCount;
  return tier === "primary" ? 1 : env.data.postgres.readReplicas;
}

export const reservationsMatchInstances: ConfigRule = (env) =>
  (["rds", "elasticache"] as const).flatMap((kind) =>
    env.data.reservations[kind].flatMap((r, i) => {
      const tier = "tier" in r ? r.tier : undefined;
      const available = reservableCount(env, kind, tier);
      const what = kind === "rds" ? (tier === "primary" ? "the primary database instance" : `the read replicas (data.postgres.readReplicas: ${available})`) : `the cache nodes (data.cache.nodeCount: ${available})`;
      if (available === 0) return [problem(`data.reservations.${kind}[${i}]${tier ? ".tier" : ""}`, tier ?? kind, `matches no configured instance: ${what}; remove the reservation`)];
      if (r.count !== undefined && r.count > available) return [problem(`data.reservations.${kind}[${i}].count`, r.count, `must be at most ${available}: only ${what} can use it, and unused reservations are paid anyway`)];
      return [];
    }),
  );

export const reservationTiersUnique: ConfigRule = (env) => [
  ...env.data.reservations.rds.flatMap((r, i) =>
    env.data.reservations.rds.findIndex((o) => o.tier === r.tier) !== i ? [problem(`data.reservations.rds[${i}].tier`, r.tier, "is reserved by another entry: one reservation per tier")] : [],
  ),
  ...(env.data.reservations.elasticache.length > 1 ? [problem("data.reservations.elasticache[1]", "second entry", "one cache reservation covers the replication group's nodes: merge the entries")] : []),
];

export const derivedDataNames: ConfigRule = (env) => {
  const prefix = env.names.prefix;
  const longest = [
    { name: `${prefix}-cache-default`, max: 40, what: "cache user id" },
    { name: `${prefix}-backups-${env.drRegion}-${env.accountId}`, max: 63, what: "replica bucket name" },
    { name: `${prefix}-backups-${env.accountId}-replication`, max: 64, what: "replication role name" },
  ].find((n) => n.name.length > n.max);
  const out = longest ? [problem("project", env.project, `gives the ${longest.what} ${longest.name} (${longest.name.length} characters), longer than AWS allows (${longest.max}); shorten the project name`)] : [];
  const replicaId = `${env.names.postgres}-replica-${env.data.postgres.readReplicas}`;
  if (env.data.postgres.readReplicas > 0 && replicaId.length > 63) {
    out.push(problem(env.data.postgres.identifier ? "data.postgres.identifier" : "project", env.data.postgres.identifier ?? env.project, `gives the replica identifier ${replicaId}, longer than RDS's 63 characters`));
  }
  return out;
};

export const dataRules: readonly ConfigRule[] = [
  backupsRequired,
  replicasNeedBackups,
  productionDatabaseDrCopy,
  productionDatabaseDumps,
  productionBackupRetention,
  multiAzNeedsTwoAzs,
  productionMultiAz,
  replicaLimit,
  productionReplicas,
  replicasNeedTwoAzs,
  storageCeiling,
  cacheEngineVersion,
  cacheFailoverNodes,
  cacheNodeLimit,
  productionCacheNodes,
  cacheSnapshots,
  backupsLifecycleOrder,
  uploadsArchiveRestorePath,
  corsOriginsHttps,
  reservationsMatchInstances,
  reservationTiersUnique,
  derivedDataNames,
];
