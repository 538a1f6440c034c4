import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { suppress } from "../../tools/policy/suppress";
import { SecureBucket } from "./secure-bucket";

export interface AccessLogBucketProps {
  readonly bucketName: string;
  /** The account whose buckets log here (`aws:SourceAccount` of the log delivery). */
  readonly accountId: string;
  /** Days the logs are kept. */
  readonly retentionDays: number;
  /** Days a noncurrent version is kept. Default: SecureBucket's (90). */
  readonly noncurrentVersionDays?: number;
  /** Provider of the region of the buckets that log here (S3 delivers only within a region). Default: the stack's. */
  readonly provider?: TerraformProvider;
}

/**
 * A target for S3 server access logs: SSE-S3 (S3 delivers server access logs
 * only to SSE-S3 buckets), written only by `logging.s3.amazonaws.com` for the
 * given account, under `s3/<source bucket>/`, expired after the retention.
 */
export class AccessLogBucket extends Construct {
  readonly bucket: SecureBucket;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    this.bucket = new SecureBucket(this, "bucket", {
      bucketName: props.bucketName,
      encryption: "s3",
      noncurrentVersionDays: props.noncurrentVersionDays,
      lifecycleRules: [{ id: "expire-logs", expirationDays: props.retentionDays }],
      provider: props.provider,
    });
    suppress(this.bucket.bucket, "s3-bucket-encryption", "S3 writes server access logs only to SSE-S3 buckets: a customer-managed key is impossible here");
    this.bucket.grantServerAccessLogs({ sourceAccountId: props.accountId, prefix: "s3/" });
  }

  /** The `accessLogs` setting of a SecureBucket in the same region that logs here. */
  accessLogsFor(bucketName: string): { targetBucketName: string; prefix: string } {
    return { targetBucketName: this.bucket.bucketName, prefix: `s3/${bucketName}/` };
  }
}
