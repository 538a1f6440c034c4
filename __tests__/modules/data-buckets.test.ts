import { Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { backupReplicaStorageClass, DataBuckets, MINIMUM_STORAGE_DAYS, type DataBucketsProps } from "../../modules/data-buckets/data-buckets";
import { LEGACY_ELB_LOG_ACCOUNTS, logDeliveryStatements } from "../../modules/data-buckets/log-delivery";

const BASE: Omit<DataBucketsProps, "drProvider"> = {
  prefix: "upskill-test",
  accountId: "111111111111",
  region: "eu-west-1",
  drRegion: "eu-central-1",
  kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/buckets",
  drKmsKeyArn: "arn:aws:kms:eu-central-1:111111111111:key/dr",
  noncurrentVersionDays: 90,
  logRetentionDays: 365,
  uploadCorsOrigins: ["https://app.example.com"],
  backups: { glacierAfterDays: 30, expireAfterDays: 3650 },
  replication: { uploads: true, backups: true, deleteMarkers: false, replicaModifications: true },
};

function build(props: Partial<DataBucketsProps> = {}) {
  const json = JSON.parse(
    Testing.synthScope((scope) => {
      new AwsProvider(scope, "aws", { region: "eu-west-1" });
      const dr = new AwsProvider(scope, "aws_dr", { region: "eu-central-1", alias: "dr" });
      new DataBuckets(scope, "buckets", { ...BASE, drProvider: dr, ...props });
    }),
  );
  /** The one resource of `type` under construct `bucket` (e.g. "uploads", "backups-replica"). */
  const of = (type: string, bucket: string): any => {
    const found = Object.entries<any>(json.resource[type] ?? {}).filter(([name]) => new RegExp(`^buckets_${bucket}_[a-z-]+_[A-F0-9]{8}$`).test(name));
    return found.length === 1 ? found[0][1] : found.map(([, v]) => v);
  };
  const names = Object.values<any>(json.resource.aws_s3_bucket).map((b) => b.bucket).sort();
  return { json, of, names };
}

describe("DataBuckets", () => {
  test("uploads, backups and logs, with replicas of uploads and backups in the DR region", () => {
    const { names, json } = build();
    expect(names).toEqual([
      "upskill-test-backups-111111111111",
      "upskill-test-backups-eu-central-1-111111111111",
      "upskill-test-logs-111111111111",
      "upskill-test-uploads-111111111111",
      "upskill-test-uploads-eu-central-1-111111111111",
    ]);
    const inDr = Object.values<any>(json.resource.aws_s3_bucket).filter((b) => b.provider === "aws.dr").map((b) => b.bucket);
    expect(inDr.sort()).toEqual(["upskill-test-backups-eu-central-1-111111111111", "upskill-test-uploads-eu-central-1-111111111111"]);
  });

  test("replicas are versioned and encrypted with the DR key", () => {
    const { json } = build();
    const drSse = Object.values<any>(json.resource.aws_s3_bucket_server_side_encryption_configuration).filter((c) => c.provider === "aws.dr");
    expect(drSse).toHaveLength(2);
    for (const c of drSse) expect(c.rule[0].apply_server_side_encryption_by_default).toEqual({ sse_algorithm: "aws:kms", kms_master_key_id: BASE.drKmsKeyArn });
    const drVersioning = Object.values<any>(json.resource.aws_s3_bucket_versioning).filter((v) => v.provider === "aws.dr");
    expect(drVersioning.map((v) => v.versioning_configuration.status)).toEqual(["Enabled", "Enabled"]);
  });

  test("replication rules follow the config switches", () => {
    const { json } = build({ replication: { uploads: true, backups: true, deleteMarkers: true, replicaModifications: false } });
    const rules = Object.values<any>(json.resource.aws_s3_bucket_replication_configuration).map((r) => r.rule[0]);
    expect(rules).toHaveLength(2);
    for (const r of rules) {
      expect(r.delete_marker_replication).toEqual({ status: "Enabled" });
      expect(r.source_selection_criteria.replica_modifications).toEqual({ status: "Disabled" });
      expect(r.destination.encryption_configuration).toEqual({ replica_kms_key_id: BASE.drKmsKeyArn });
    }
    // Backups (Glacier at 30 days): Standard-IA, whose 30-day minimum ends when the replica moves on; uploads: Standard-IA.
    expect(rules.map((r) => r.destination.storage_class).sort()).toEqual(["STANDARD_IA", "STANDARD_IA"]);
  });

  test("backup replicas never move to Glacier before their replication class's minimum storage duration", () => {
    for (const glacierAfterDays of [1, 29, 30, 60, 89, 90, 365]) {
      const { json } = build({ backups: { glacierAfterDays, expireAfterDays: 3650 } });
      const backupRule = Object.values<any>(json.resource.aws_s3_bucket_replication_configuration).map((r) => r.rule[0]).find((r) => r.destination.bucket.includes("backups"));
      const replicaClass = backupRule.destination.storage_class;
      expect(MINIMUM_STORAGE_DAYS[replicaClass]).toBeLessThanOrEqual(glacierAfterDays);
    }
    expect([1, 30, 90].map(backupReplicaStorageClass)).toEqual(["STANDARD", "STANDARD_IA", "GLACIER_IR"]);
  });

  test("replication off: no replica, no replication role", () => {
    const { names, json } = build({ replication: { uploads: false, backups: true, deleteMarkers: false, replicaModifications: true } });
    expect(names).not.toContain("upskill-test-uploads-eu-central-1-111111111111");
    expect(Object.keys(json.resource.aws_s3_bucket_replication_configuration)).toHaveLength(1);
    const none = build({ replication: { uploads: false, backups: false, deleteMarkers: false, replicaModifications: true } });
    expect(none.json.resource.aws_s3_bucket_replication_configuration).toBeUndefined();
    expect(none.json.resource.aws_iam_role).toBeUndefined();
    expect(none.names).toHaveLength(3);
  });

  test("uploads: SSE-KMS, Intelligent-Tiering without archive tiers, CORS for the configured origins, access logs", () => {
    const { of, json } = build();
    expect(of("aws_s3_bucket_server_side_encryption_configuration", "uploads").rule[0]).toEqual({
      apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: BASE.kmsKeyArn },
      bucket_key_enabled: true,
    });
    // Archived objects answer GetObject with InvalidObjectState until restored: by default none are archived.
    expect(json.resource.aws_s3_bucket_intelligent_tiering_configuration).toBeUndefined();
    expect(of("aws_s3_bucket_lifecycle_configuration", "uploads").rule.find((r: any) => r.id === "intelligent-tiering").transition).toEqual([{ days: 0, storage_class: "INTELLIGENT_TIERING" }]);
    expect(of("aws_s3_bucket_cors_configuration", "uploads").cors_rule[0]).toMatchObject({ allowed_origins: ["https://app.example.com"], allowed_methods: ["GET", "PUT", "POST", "HEAD"] });
    expect(of("aws_s3_bucket_logging", "uploads").target_prefix).toBe("s3/upskill-test-uploads-111111111111/");
  });

  test("uploads archive tiers only when configured with the reader that restores them", () => {
    const { of } = build({ uploadsArchive: { archiveAccessDays: 90, restoredBy: "the worker service" } });
    expect(of("aws_s3_bucket_intelligent_tiering_configuration", "uploads").tiering.map((t: any) => t.access_tier)).toEqual(["ARCHIVE_ACCESS"]);
  });

  test("no CORS without origins", () => {
    expect(build({ uploadCorsOrigins: [] }).json.resource.aws_s3_bucket_cors_configuration).toBeUndefined();
  });

  test("backups: Glacier, then Deep Archive when configured, and expiry, on both sides", () => {
    const { json } = build({ backups: { glacierAfterDays: 30, deepArchiveAfterDays: 180, expireAfterDays: 3650 } });
    const archiveRules = Object.values<any>(json.resource.aws_s3_bucket_lifecycle_configuration).flatMap((l) => l.rule.filter((r: any) => r.id === "archive-dumps"));
    expect(archiveRules).toHaveLength(2);
    for (const r of archiveRules) {
      expect(r.transition).toEqual([
        { days: 30, storage_class: "GLACIER" },
        { days: 180, storage_class: "DEEP_ARCHIVE" },
      ]);
      expect(r.expiration).toEqual([{ days: 3650 }]);
    }
  });

  test("logs: SSE-S3 (ELB's only option), ACLs allowed for CloudFront, expiring after the log retention, writers limited to their prefix", () => {
    const { of } = build();
    expect(of("aws_s3_bucket_server_side_encryption_configuration", "logs").rule[0].apply_server_side_encryption_by_default).toEqual({ sse_algorithm: "AES256" });
    expect(of("aws_s3_bucket_ownership_controls", "logs").rule.object_ownership).toBe("BucketOwnerPreferred");
    expect(of("aws_s3_bucket_lifecycle_configuration", "logs").rule.find((r: any) => r.id === "expire-logs").expiration).toEqual([{ days: 365 }]);
    const policy = JSON.parse(of("aws_s3_bucket_policy", "logs").policy);
    const bySid = Object.fromEntries(policy.Statement.map((s: any) => [s.Sid, s]));
    expect(Object.keys(bySid).sort()).toEqual([
      "AllowAlbAccessLogs",
      "AllowAlbAccessLogsRegionalElbAccount",
      "AllowS3ServerAccessLogs",
      "DenyInsecureTransport",
    ]);
    expect(bySid.AllowAlbAccessLogs.Resource).toMatch(/\/alb\/AWSLogs\/111111111111\/\*$/);
    expect(bySid.AllowAlbAccessLogsRegionalElbAccount.Principal).toEqual({ AWS: "arn:aws:iam::156460612806:root" });
    expect(bySid.AllowS3ServerAccessLogs.Resource).toMatch(/\/s3\/\*$/);
    expect(bySid.AllowS3ServerAccessLogs.Condition.StringEquals).toEqual({ "aws:SourceAccount": "111111111111" });
    expect(of("aws_s3_bucket_logging", "logs")).toEqual([]);
  });

  test("every bucket blocks public access and cannot be destroyed", () => {
    const { json } = build();
    for (const b of Object.values<any>(json.resource.aws_s3_bucket)) expect(b.lifecycle).toEqual({ prevent_destroy: true });
    for (const p of Object.values<any>(json.resource.aws_s3_bucket_public_access_block)) {
      expect(p).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    }
    expect(Object.keys(json.resource.aws_s3_bucket_public_access_block)).toHaveLength(5);
  });
});

describe("logDeliveryStatements", () => {
  const args = { bucketArn: "arn:aws:s3:::logs", accountId: "111111111111", albPrefix: "alb", cloudFrontPrefix: "cloudfront" };

  test("names the regional ELB account only in regions that predate the service principal", () => {
    expect(logDeliveryStatements({ ...args, region: "eu-west-1" }).map((s) => s.Sid)).toContain("AllowAlbAccessLogsRegionalElbAccount");
    expect(logDeliveryStatements({ ...args, region: "eu-south-2" }).map((s) => s.Sid)).not.toContain("AllowAlbAccessLogsRegionalElbAccount");
    expect(LEGACY_ELB_LOG_ACCOUNTS["us-east-1"]).toBe("127311923021");
  });
});
