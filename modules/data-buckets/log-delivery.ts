import type { PolicyStatementJson } from "../secure-bucket/secure-bucket";

/**
 * Elastic Load Balancing's log-delivery accounts of the regions opened before
 * August 2022, which still deliver ALB access logs as this account (later
 * regions only know the service principal). Source: the AWS provider's
 * `aws_elb_service_account` data source (internal/service/elb/service_account_data_source.go).
 */
export const LEGACY_ELB_LOG_ACCOUNTS: Readonly<Record<string, string>> = {
  "af-south-1": "098369216593",
  "ap-east-1": "754344448648",
  "ap-northeast-1": "582318560864",
  "ap-northeast-2": "600734575887",
  "ap-northeast-3": "383597477331",
  "ap-south-1": "718504428378",
  "ap-southeast-1": "114774131450",
  "ap-southeast-2": "783225319266",
  "ap-southeast-3": "589379963580",
  "ca-central-1": "985666609251",
  "eu-central-1": "054676820928",
  "eu-north-1": "897822967062",
  "eu-south-1": "635631232127",
  "eu-west-1": "156460612806",
  "eu-west-2": "652711504416",
  "eu-west-3": "009996457667",
  "me-south-1": "076674570225",
  "sa-east-1": "507241528517",
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-west-1": "027434742980",
  "us-west-2": "797873946194",
};

export interface LogDeliveryGrantsProps {
  readonly bucketArn: string;
  readonly accountId: string;
  /** Region of the bucket and the load balancers writing to it. */
  readonly region: string;
  /** Key prefix of ALB access logs (the ALB's `access_logs.prefix`). */
  readonly albPrefix: string;
  /** Key prefix of CloudFront standard logs. */
  readonly cloudFrontPrefix: string;
}

/**
 * Bucket policy statements that let the ALB and CloudFront write their logs,
 * each only under its prefix and only for this account.
 *
 * - ALB access logs: the `logdelivery.elasticloadbalancing.amazonaws.com`
 *   principal, plus the region's ELB account where the region predates it.
 *   The bucket must use SSE-S3 (the only encryption ELB writes to).
 * - CloudFront standard logging v2 (CloudWatch Logs delivery to S3):
 *   `delivery.logs.amazonaws.com`. Legacy standard logging instead grants
 *   itself an ACL, which needs the bucket's object ownership at
 *   BucketOwnerPreferred.
 */
export function logDeliveryStatements(p: LogDeliveryGrantsProps): PolicyStatementJson[] {
  const albObjects = `${p.bucketArn}/${p.albPrefix}/AWSLogs/${p.accountId}/*`;
  const legacy = LEGACY_ELB_LOG_ACCOUNTS[p.region];
  return [
    { Sid: "AllowAlbAccessLogs", Effect: "Allow", Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" }, Action: "s3:PutObject", Resource: albObjects },
    ...(legacy
      ? [{ Sid: "AllowAlbAccessLogsRegionalElbAccount", Effect: "Allow" as const, Principal: { AWS: `arn:aws:iam::${legacy}:root` }, Action: "s3:PutObject", Resource: albObjects }]
      : []),
    // CloudFront's distributions use legacy standard logging, which writes through the ACL it grants
    // itself (BucketOwnerPreferred); the v2 delivery principal (delivery.logs.amazonaws.com) is not granted.
  ];
}
