import type { IamPolicyStatement } from "../workload-role/workload-role";

/** The data-layer resources one app service may use, as ARNs. */
export interface ServiceAccessInputs {
  /** The region of the data layer: KMS is used only through its Secrets Manager and S3 endpoints there. */
  readonly region: string;
  /** The database credentials secret (managed by RDS) and the key encrypting it. */
  readonly databaseSecret: { readonly arn: string; readonly kmsKeyArn: string };
  /**
   * The cache's replication group and the user the app authenticates as with
   * an IAM token (ElastiCache IAM authentication needs `elasticache:Connect` on both).
   */
  readonly cache: { readonly replicationGroupArn: string; readonly userArn: string };
  /** The uploads bucket and its key; absent for services without uploads access. */
  readonly uploads?: {
    readonly bucketArn: string;
    readonly kmsKeyArn: string;
    /** The service restores objects from the bucket's archive tiers (s3:RestoreObject). Default: false. */
    readonly restoresArchived?: boolean;
  };
}

/**
 * Least-privilege statements of an app service's workload role: read its
 * database secret (decrypting through Secrets Manager only), connect to the
 * cache as the app user, and, with uploads access, read, write and delete
 * objects of the uploads bucket (its key used through S3 only, for that
 * bucket only). Every statement names its resources; nothing is `*`.
 */
export function servicePolicyStatements(inputs: ServiceAccessInputs): IamPolicyStatement[] {
  const statements: IamPolicyStatement[] = [
    {
      Sid: "ReadDatabaseSecret",
      Effect: "Allow",
      Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
      Resource: [inputs.databaseSecret.arn],
    },
    {
      Sid: "DecryptDatabaseSecret",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: [inputs.databaseSecret.kmsKeyArn],
      Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${inputs.region}.amazonaws.com` } },
    },
    {
      Sid: "ConnectToCacheAsAppUser",
      Effect: "Allow",
      Action: ["elasticache:Connect"],
      Resource: [inputs.cache.replicationGroupArn, inputs.cache.userArn],
    },
  ];
  if (inputs.uploads) {
    const bucket = inputs.uploads.bucketArn;
    statements.push(
      { Sid: "ListUploads", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [bucket] },
      {
        Sid: "ReadWriteUploads",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", ...(inputs.uploads.restoresArchived ? ["s3:RestoreObject"] : [])],
        Resource: [`${bucket}/*`],
      },
      {
        Sid: "UseUploadsKeyThroughS3",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: [inputs.uploads.kmsKeyArn],
        Condition: {
          StringEquals: { "kms:ViaService": `s3.${inputs.region}.amazonaws.com` },
          // The bucket ARN with an S3 Bucket Key, the object ARN without one: this bucket either way.
          StringLike: { "kms:EncryptionContext:aws:s3:arn": [bucket, `${bucket}/*`] },
        },
      },
    );
  }
  return statements;
}
