import type { IamPolicyStatement } from "../workload-role/workload-role";

/** The data-layer resources one app service may use, as ARNs. */
export interface ServiceAccessInputs {
  /** The region of the data layer: KMS is used only through its Secrets Manager and S3 endpoints there. */
  readonly region: string;
  /** The account of the database: IAM database authentication names `arn:aws:rds-db:<region>:<account>:dbuser:...`. */
  readonly accountId: string;
  /**
   * The service's own PostgreSQL role and the resource ids of the instances it may connect to
   * (the primary and the replicas: each has its own); absent for services without database access.
   * The master user's secret is never granted: the provisioning job alone reads it.
   */
  readonly database?: { readonly user: string; readonly resourceIds: readonly string[] };
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
 * Least-privilege statements of an app service's workload role: with database
 * access, connect to PostgreSQL by IAM authentication as its own database user
 * (never the master user's secret), connect to the cache as the app user, and, with uploads access, read, write and delete
 * objects of the uploads bucket (its key used through S3 only, for that
 * bucket only). Every statement names its resources; nothing is `*`.
 */
export function servicePolicyStatements(inputs: ServiceAccessInputs): IamPolicyStatement[] {
  const statements: IamPolicyStatement[] = [
    ...(inputs.database
      ? [
          {
            Sid: "ConnectAsOwnDatabaseUser",
            Effect: "Allow" as const,
            Action: ["rds-db:connect"],
            Resource: inputs.database.resourceIds.map((id) => `arn:aws:rds-db:${inputs.region}:${inputs.accountId}:dbuser:${id}/${inputs.database!.user}`),
          },
        ]
      : []),
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

/** A service's PostgreSQL role: `upskill_<service>` (hyphens become underscores, so no quoting is needed). */
export function databaseUserOf(service: string): string {
  return `upskill_${service.replace(/-/g, "_")}`;
}
