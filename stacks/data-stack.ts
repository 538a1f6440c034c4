import type { Construct } from "constructs";
import { Cache } from "../modules/cache/cache";
import { DataBuckets, LOG_PREFIXES } from "../modules/data-buckets/data-buckets";
import { DataKeys } from "../modules/data-keys/data-keys";
import { Postgres } from "../modules/postgres/postgres";
import { Reservations } from "../modules/reservations/reservations";
import type { SecureBucket } from "../modules/secure-bucket/secure-bucket";
import { LayerStack, type LayerStackProps } from "./layer-stack";

/** What the data layer reads from the network layer. */
export interface DataNetworkInputs {
  /** One per configured AZ, in AZ order. */
  readonly dataSubnetIds: readonly string[];
  readonly securityGroupIds: { readonly database: string; readonly cache: string };
}

export interface DataStackProps extends LayerStackProps {
  readonly network: DataNetworkInputs;
}

/** The fields of the Postgres and Cache modules later layers read (the contract in stacks/README.md). */
const POSTGRES_OUTPUTS = [
  "instanceId",
  "instanceArn",
  "resourceId",
  "replicaResourceIds",
  "databaseName",
  "masterUsername",
  "replicaIds",
  "writerEndpoint",
  "readerEndpoints",
  "port",
  "masterSecretArn",
  "securityGroupId",
] as const;
const CACHE_OUTPUTS = [
  "replicationGroupId",
  "replicationGroupArn",
  "primaryEndpoint",
  "readerEndpoint",
  "port",
  "securityGroupId",
  "memberClusterIds",
  "userGroupId",
  "appUserId",
  "appUserArn",
] as const;

function pick<T, K extends keyof T>(source: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, source[k]])) as Pick<T, K>;
}

export interface BucketOutputs {
  readonly name: string;
  readonly arn: string;
  readonly domainName: string;
}

/**
 * `<env>-data`: KMS keys, RDS PostgreSQL with read replicas, the Redis/Valkey
 * replication group, the uploads, backups and logs buckets with their DR
 * replicas, and any confirmed reserved capacity.
 */
export class DataStack extends LayerStack {
  readonly logsKeyArn: string;
  readonly databaseKeyArn: string;
  readonly cacheKeyArn: string;
  readonly bucketsKeyArn: string;
  /** The DR region's key of the replica buckets. */
  readonly drKeyArn: string;
  /** The primary's and replicas' outputs (`address` is the writer's host name). */
  readonly postgres: Pick<Postgres, (typeof POSTGRES_OUTPUTS)[number]> & { readonly address: string };
  /** No secret exists: the app authenticates as `appUserId` (RBAC user group `userGroupId`) with an IAM token. */
  readonly cache: Pick<Cache, (typeof CACHE_OUTPUTS)[number]>;
  readonly buckets: { readonly uploads: BucketOutputs; readonly backups: BucketOutputs; readonly logs: BucketOutputs };
  /** Key prefixes of the logs bucket for each writer (ALB `access_logs.prefix`, CloudFront logging prefix). */
  readonly logPrefixes: typeof LOG_PREFIXES;

  constructor(scope: Construct, props: DataStackProps) {
    super(scope, "data", props);
    const env = this.environment;
    const data = env.data;
    const net = props.network;
    const prefix = env.names.prefix;

    const keys = new DataKeys(this, "keys", { prefix, accountId: env.accountId, region: env.region, drProvider: this.drProvider, databaseDrKey: data.postgres.drBackupRetentionDays !== undefined });

    const postgres = new Postgres(this, "postgres", {
      identifier: env.names.postgres,
      accountId: env.accountId,
      engineVersion: data.postgres.engineVersion,
      instanceClass: data.postgres.instanceClass,
      replicaInstanceClass: data.postgres.replicaInstanceClass,
      allocatedStorageGb: data.postgres.allocatedStorageGb,
      maxAllocatedStorageGb: data.postgres.maxAllocatedStorageGb,
      multiAz: data.postgres.multiAz,
      readReplicas: data.postgres.readReplicas,
      availabilityZones: env.availabilityZones,
      subnetIds: net.dataSubnetIds,
      securityGroupId: net.securityGroupIds.database,
      kmsKeyArn: keys.database.keyArn,
      logsKmsKeyArn: keys.logs.keyArn,
      logRetentionDays: env.logRetentionDays,
      backupRetentionDays: data.postgres.backupRetentionDays,
      backupWindow: data.postgres.backupWindow,
      maintenanceWindow: data.postgres.maintenanceWindow,
      databaseName: data.postgres.databaseName,
      monitoringIntervalSeconds: data.postgres.monitoringIntervalSeconds,
      performanceInsightsRetentionDays: data.postgres.performanceInsightsRetentionDays,
      logMinDurationStatementMs: data.postgres.logMinDurationStatementMs,
      drBackups:
        data.postgres.drBackupRetentionDays === undefined
          ? undefined
          : { provider: this.drProvider, kmsKeyArn: keys.drDatabase!.keyArn, retentionDays: data.postgres.drBackupRetentionDays },
    });

    const cache = new Cache(this, "cache", {
      replicationGroupId: `${prefix}-cache`,
      engine: data.cache.engine,
      engineVersion: data.cache.engineVersion,
      nodeType: data.cache.nodeType,
      nodeCount: data.cache.nodeCount,
      availabilityZones: env.availabilityZones,
      subnetIds: net.dataSubnetIds,
      securityGroupId: net.securityGroupIds.cache,
      kmsKeyArn: keys.cache.keyArn,
      logsKmsKeyArn: keys.logs.keyArn,
      logRetentionDays: env.logRetentionDays,
      snapshotRetentionDays: data.cache.snapshotRetentionDays,
      snapshotWindow: data.cache.snapshotWindow,
      maintenanceWindow: data.cache.maintenanceWindow,
    });

    const buckets = new DataBuckets(this, "buckets", {
      prefix,
      accountId: env.accountId,
      region: env.region,
      drRegion: env.drRegion,
      drProvider: this.drProvider,
      kmsKeyArn: keys.buckets.keyArn,
      drKmsKeyArn: keys.dr.keyArn,
      noncurrentVersionDays: data.buckets.noncurrentVersionDays,
      logRetentionDays: env.logRetentionDays,
      uploadCorsOrigins: data.buckets.uploadCorsOrigins,
      uploadsArchive: data.buckets.uploadsArchive?.restoredBy
        ? { ...data.buckets.uploadsArchive, restoredBy: `the ${data.buckets.uploadsArchive.restoredBy} service` }
        : undefined,
      backups: {
        glacierAfterDays: data.buckets.backupsGlacierAfterDays,
        deepArchiveAfterDays: data.buckets.backupsDeepArchiveAfterDays,
        expireAfterDays: data.buckets.backupsExpireAfterDays,
      },
      replication: data.buckets.replication,
    });

    // Offerings derived from what runs: class, Multi-AZ and engine of each tier, counts from config.
    const pg = data.postgres;
    new Reservations(this, "reservations", {
      prefix,
      rds: data.reservations.rds.map((r) => ({
        name: `postgres-${r.tier}`,
        instanceClass: r.tier === "primary" ? pg.instanceClass : (pg.replicaInstanceClass ?? pg.instanceClass),
        // Replicas are single-AZ instances; the primary is reserved as it runs.
        multiAz: r.tier === "primary" ? pg.multiAz : false,
        engine: "postgresql",
        count: r.count ?? (r.tier === "primary" ? 1 : pg.readReplicas),
        termYears: r.termYears,
        payment: r.payment,
        confirm: r.confirm,
      })),
      elasticache: data.reservations.elasticache.map((r) => ({
        name: "cache",
        nodeType: data.cache.nodeType,
        engine: data.cache.engine,
        count: r.count ?? data.cache.nodeCount,
        termYears: r.termYears,
        payment: r.payment,
        confirm: r.confirm,
      })),
    });

    this.logsKeyArn = keys.logs.keyArn;
    this.databaseKeyArn = keys.database.keyArn;
    this.cacheKeyArn = keys.cache.keyArn;
    this.bucketsKeyArn = keys.buckets.keyArn;
    this.drKeyArn = keys.dr.keyArn;
    this.postgres = { ...pick(postgres, POSTGRES_OUTPUTS), address: postgres.writerEndpoint };
    this.cache = pick(cache, CACHE_OUTPUTS);
    const out = (b: SecureBucket): BucketOutputs => ({ name: b.bucketName, arn: b.bucketArn, domainName: b.bucketRegionalDomainName });
    this.buckets = { uploads: out(buckets.uploads), backups: out(buckets.backups), logs: out(buckets.logs) };
    this.logPrefixes = LOG_PREFIXES;
  }
}
