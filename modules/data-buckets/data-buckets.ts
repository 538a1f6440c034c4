import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { AccessLogBucket } from "../secure-bucket/access-log-bucket";
import { SecureBucket, type SecureBucketLifecycleRule } from "../secure-bucket/secure-bucket";
import { suppress } from "../../tools/policy/suppress";
import { logDeliveryStatements } from "./log-delivery";
import { S3BucketMetric } from "@cdktf/provider-aws/lib/s3-bucket-metric";
import { DUMP_METRICS_FILTER, DUMP_PREFIX } from "../database-dump/dump-location";

export interface DataBucketsProps {
  /** `<project>-<env>`; buckets are `<prefix>-<purpose>-<accountId>`, replicas `<prefix>-<purpose>-<drRegion>-<accountId>`. */
  readonly prefix: string;
  readonly accountId: string;
  readonly region: string;
  readonly drRegion: string;
  /** Provider of the DR region, for the replicas. */
  readonly drProvider: TerraformProvider;
  /** Encrypts the uploads and backups buckets. */
  readonly kmsKeyArn: string;
  /** In the DR region: encrypts the replicas. */
  readonly drKmsKeyArn: string;
  /** Days a superseded object version is kept. */
  readonly noncurrentVersionDays: number;
  /** Days access logs are kept in the logs bucket. */
  readonly logRetentionDays: number;
  /** Origins allowed to upload from a browser with presigned URLs. Default: none (no CORS). */
  readonly uploadCorsOrigins?: readonly string[];
  /**
   * Archive tiers for uploads, with the reader that restores archived objects (it needs
   * s3:RestoreObject). Default: none, Intelligent-Tiering's automatic tiers only, so every upload
   * stays readable in milliseconds.
   */
  readonly uploadsArchive?: { readonly archiveAccessDays?: number; readonly deepArchiveAccessDays?: number; readonly restoredBy: string };
  readonly backups: {
    /** Dumps move to Glacier Flexible Retrieval after this many days. */
    readonly glacierAfterDays: number;
    /** Then to Glacier Deep Archive. Default: they stay in Glacier Flexible Retrieval. */
    readonly deepArchiveAfterDays?: number;
    readonly expireAfterDays: number;
  };
  readonly replication: {
    readonly uploads: boolean;
    readonly backups: boolean;
    /** A delete in the primary also hides the replica. */
    readonly deleteMarkers: boolean;
    readonly replicaModifications: boolean;
  };
}

/** Days S3 bills an object of the class at least (deleted or moved earlier, the rest is charged). */
export const MINIMUM_STORAGE_DAYS: Readonly<Record<string, number>> = { STANDARD: 0, STANDARD_IA: 30, GLACIER_IR: 90, GLACIER: 90, DEEP_ARCHIVE: 180 };

/**
 * The class backups replicate as: the cheapest of Glacier Instant Retrieval, Standard-IA and
 * Standard whose minimum storage duration ends before the replica's lifecycle moves the copy to
 * Glacier at `glacierAfterDays` (replicas arrive within minutes of the dump).
 */
export function backupReplicaStorageClass(glacierAfterDays: number): "GLACIER_IR" | "STANDARD_IA" | "STANDARD" {
  for (const c of ["GLACIER_IR", "STANDARD_IA"] as const) if (glacierAfterDays >= MINIMUM_STORAGE_DAYS[c]) return c;
  return "STANDARD";
}

/** Key prefixes of the logs bucket, one per writer. */
export const LOG_PREFIXES = { alb: "alb", cloudFront: "cloudfront", s3: "s3" } as const;

/**
 * The data layer's buckets: `logs` (access logs of the buckets, the ALB and
 * CloudFront; SSE-S3 and ACLs allowed because those writers need it),
 * `uploads` (user files: Intelligent-Tiering's automatic tiers, archive tiers
 * only with a restoring reader, CORS for presigned browser
 * uploads) and `backups` (database dumps: Glacier transitions, long
 * retention), the last two replicated to versioned buckets in the DR region
 * encrypted with the DR key, as configured.
 */
export class DataBuckets extends Construct {
  readonly logs: SecureBucket;
  readonly uploads: SecureBucket;
  readonly backups: SecureBucket;
  readonly uploadsReplica?: SecureBucket;
  /** Server access logs of the replicas, in the DR region (present with any replica). */
  readonly replicaLogs?: AccessLogBucket;
  readonly backupsReplica?: SecureBucket;

  constructor(scope: Construct, id: string, props: DataBucketsProps) {
    super(scope, id);
    const name = (purpose: string) => `${props.prefix}-${purpose}-${props.accountId}`;
    const replicaName = (purpose: string) => `${props.prefix}-${purpose}-${props.drRegion}-${props.accountId}`;

    // ELB writes access logs only to SSE-S3 buckets, and S3 server access logs
    // only to SSE-S3 targets; CloudFront's legacy logging needs ACLs.
    this.logs = new SecureBucket(this, "logs", {
      bucketName: name("logs"),
      encryption: "s3",
      objectOwnership: "BucketOwnerPreferred",
      noncurrentVersionDays: props.noncurrentVersionDays,
      lifecycleRules: [{ id: "expire-logs", expirationDays: props.logRetentionDays }],
    });
    suppress(this.logs.bucket, "s3-bucket-encryption", "ELB writes ALB access logs, and S3 writes server access logs, only to SSE-S3 buckets: a customer-managed key is impossible here");
    for (const s of logDeliveryStatements({
      bucketArn: this.logs.bucketArn,
      accountId: props.accountId,
      region: props.region,
      albPrefix: LOG_PREFIXES.alb,
      cloudFrontPrefix: LOG_PREFIXES.cloudFront,
    })) {
      this.logs.addToPolicy(s);
    }
    this.logs.grantServerAccessLogs({ sourceAccountId: props.accountId, prefix: `${LOG_PREFIXES.s3}/` });
    const accessLogs = (bucketName: string) => ({ targetBucketName: this.logs.bucketName, prefix: `${LOG_PREFIXES.s3}/${bucketName}/` });

    const replicationOf = (enabled: boolean, replica: SecureBucket | undefined, storageClass: string) =>
      enabled && replica
        ? {
            destination: replica,
            destinationKmsKeyArn: props.drKmsKeyArn,
            sourceRegion: props.region,
            destinationRegion: props.drRegion,
            deleteMarkerReplication: props.replication.deleteMarkers,
            replicaModifications: props.replication.replicaModifications,
            storageClass,
          }
        : undefined;
    // S3 delivers server access logs only within a region: the replicas log to a bucket of the DR region.
    this.replicaLogs =
      props.replication.uploads || props.replication.backups
        ? new AccessLogBucket(this, "replica-access-logs", {
            bucketName: replicaName("logs"),
            accountId: props.accountId,
            retentionDays: props.logRetentionDays,
            noncurrentVersionDays: props.noncurrentVersionDays,
            provider: props.drProvider,
          })
        : undefined;
    const replica = (purpose: string, lifecycleRules?: readonly SecureBucketLifecycleRule[]) =>
      new SecureBucket(this, `${purpose}-replica`, {
        bucketName: replicaName(purpose),
        kmsKeyArn: props.drKmsKeyArn,
        provider: props.drProvider,
        noncurrentVersionDays: props.noncurrentVersionDays,
        lifecycleRules,
        accessLogs: this.replicaLogs?.accessLogsFor(replicaName(purpose)),
      });

    // Uploads: copies in the DR region are read only after a disaster.
    this.uploadsReplica = props.replication.uploads ? replica("uploads") : undefined;
    const origins = props.uploadCorsOrigins ?? [];
    this.uploads = new SecureBucket(this, "uploads", {
      bucketName: name("uploads"),
      kmsKeyArn: props.kmsKeyArn,
      noncurrentVersionDays: props.noncurrentVersionDays,
      accessLogs: accessLogs(name("uploads")),
      intelligentTiering: { archive: props.uploadsArchive },
      cors: origins.length > 0 ? [{ allowedMethods: ["GET", "PUT", "POST", "HEAD"], allowedOrigins: origins }] : undefined,
      replication: replicationOf(props.replication.uploads, this.uploadsReplica, "STANDARD_IA"),
    });

    // Backups: the same archive schedule on both sides, so replicas age out with the dumps.
    const b = props.backups;
    const archive: SecureBucketLifecycleRule = {
      id: "archive-dumps",
      transitions: [
        { days: b.glacierAfterDays, storageClass: "GLACIER" },
        ...(b.deepArchiveAfterDays === undefined ? [] : [{ days: b.deepArchiveAfterDays, storageClass: "DEEP_ARCHIVE" }]),
      ],
      expirationDays: b.expireAfterDays,
    };
    this.backupsReplica = props.replication.backups ? replica("backups", [archive]) : undefined;
    this.backups = new SecureBucket(this, "backups", {
      bucketName: name("backups"),
      kmsKeyArn: props.kmsKeyArn,
      noncurrentVersionDays: props.noncurrentVersionDays,
      accessLogs: accessLogs(name("backups")),
      lifecycleRules: [archive],
      replication: replicationOf(props.replication.backups, this.backupsReplica, backupReplicaStorageClass(b.glacierAfterDays)),
    });
    // Request metrics of the dumps' prefix: a day without PutRequests is a missed or failed dump (the alarm's input).
    new S3BucketMetric(this, "dump-metrics", { bucket: this.backups.bucketName, name: DUMP_METRICS_FILTER, filter: { prefix: DUMP_PREFIX } });
  }
}
