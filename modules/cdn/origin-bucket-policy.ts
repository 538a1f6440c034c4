/** One IAM policy statement, as JSON. */
export type PolicyStatement = Record<string, unknown>;

export interface OriginBucketPolicyProps {
  /** ARN of the bucket CloudFront reads. */
  readonly bucketArn: string;
  /** ARN of the one distribution allowed to read it. */
  readonly distributionArn: string;
}

/** Denies every request to the bucket that does not use TLS. */
export function denyInsecureTransport(bucketArn: string): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/** Lets CloudFront read objects on behalf of one distribution only (origin access control). */
export function allowDistributionReads(props: OriginBucketPolicyProps): PolicyStatement {
  return {
    Sid: "AllowCloudFrontDistributionReads",
    Effect: "Allow",
    Principal: { Service: "cloudfront.amazonaws.com" },
    Action: "s3:GetObject",
    Resource: `${props.bucketArn}/*`,
    Condition: { StringEquals: { "AWS:SourceArn": props.distributionArn } },
  };
}

/** The whole policy of a CloudFront origin bucket: TLS only, reads by its distribution only. */
export function originBucketPolicy(props: OriginBucketPolicyProps): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: [denyInsecureTransport(props.bucketArn), allowDistributionReads(props)] });
}
