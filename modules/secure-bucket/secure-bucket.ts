import { Construct } from "constructs";
import { Lazy, type ITerraformDependable, type TerraformProvider } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import {
  S3BucketLifecycleConfiguration,
  type S3BucketLifecycleConfigurationRule,
} from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketIntelligentTieringConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-intelligent-tiering-configuration";
import { S3BucketCorsConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-cors-configuration";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { suppress } from "../../tools/policy/suppress";

/** One statement of an IAM policy document, in IAM's JSON shape. */
export interface PolicyStatementJson {
  /** Required and unique within the bucket policy: it names the grant in reviews and diffs. */
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal: "*" | { readonly Service?: string | readonly string[]; readonly AWS?: string | readonly string[] };
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Record<string, Record<string, string | boolean | readonly string[]>>;
}

/** An extra lifecycle rule (transitions to Glacier classes, expiration...). */
export interface SecureBucketLifecycleRule {
  /** Rule id, unique within the bucket. */
  readonly id: string;
  /** Key prefix the rule applies to. Default: every object. */
  readonly prefix?: string;
  /** Transitions of current versions, e.g. `[{ days: 30, storageClass: "GLACIER_IR" }]`. Default: none. */
  readonly transitions?: readonly { readonly days: number; readonly storageClass: string }[];
  /** Days after creation a current version expires (becomes noncurrent). Default: never. */
  readonly expirationDays?: number;
  /** Transitions of noncurrent versions. Default: none. */
  readonly noncurrentTransitions?: readonly { readonly days: number; readonly storageClass: string }[];
}

export interface SecureBucketCorsRule {
  readonly allowedMethods: readonly ("GET" | "PUT" | "POST" | "DELETE" | "HEAD")[];
  readonly allowedOrigins: readonly string[];
  /** Default: `["*"]` request headers (browsers send varying ones with presigned uploads). */
  readonly allowedHeaders?: readonly string[];
  /** Default: `["ETag"]`, which multipart uploads from a browser need. */
  readonly exposeHeaders?: readonly string[];
  /** Default: 3000 seconds. */
  readonly maxAgeSeconds?: number;
}

/** The destination of replication: a bucket (typically another SecureBucket built with the DR provider). */
export interface ReplicationDestination {
  readonly bucketArn: string;
  /** When given, replication waits for the destination's versioning (S3 refuses an unversioned destination). */
  readonly versioning?: ITerraformDependable;
}

export interface SecureBucketReplication {
  /** The replica bucket in the DR region. */
  readonly destination: ReplicationDestination;
  /** ARN of the DR region's KMS key the replicas are encrypted with. */
  readonly destinationKmsKeyArn: string;
  /** Region of this (source) bucket: scopes the role's kms:Decrypt through `kms:ViaService`. */
  readonly sourceRegion: string;
  /** Region of the replica: scopes the role's kms:Encrypt through `kms:ViaService`. Must differ from sourceRegion. */
  readonly destinationRegion: string;
  /** Replicate delete markers, so a delete in the primary hides the replica too. Default: false (a delete in the primary leaves the replica readable). */
  readonly deleteMarkerReplication?: boolean;
  /** Sync metadata changes made to replicas back (needed for two-way replication). Default: true. */
  readonly replicaModifications?: boolean;
  /** S3 Replication Time Control (15-minute SLA, extra cost, with replication metrics). Default: false. */
  readonly replicationTimeControl?: boolean;
  /** Storage class of the replicas. Default: STANDARD. */
  readonly storageClass?: string;
  /** Name of the replication role. Default: `<bucketName>-replication` (must fit IAM's 64 characters). */
  readonly roleName?: string;
}

export interface SecureBucketProps {
  /** The bucket's name (S3 general purpose bucket rules). */
  readonly bucketName: string;
  /**
   * Default encryption. `"kms"` (SSE-KMS with `kmsKeyArn` and a bucket key) for every bucket
   * except a log bucket that ALB access logs are written to: ELB supports only SSE-S3 there,
   * so that bucket uses `"s3"` (AES256). Default: "kms".
   */
  readonly encryption?: "kms" | "s3";
  /** The customer-managed key for SSE-KMS. Required with `encryption: "kms"`, refused with `"s3"`. */
  readonly kmsKeyArn?: string;
  /**
   * Object ownership. `BucketOwnerPreferred` re-enables ACLs and is only for a bucket that
   * CloudFront standard logging (legacy) writes to: that writer needs ACLs.
   * Default: "BucketOwnerEnforced" (ACLs disabled, access by policy only).
   */
  readonly objectOwnership?: "BucketOwnerEnforced" | "BucketOwnerPreferred";
  /**
   * Server access logging to a target bucket of the same region (which must grant
   * `logging.s3.amazonaws.com`, e.g. with `grantServerAccessLogs`). Default: no access logging
   * (only the log bucket itself and the state bucket go without).
   */
  readonly accessLogs?: { readonly targetBucketName: string; /** Default: `<bucketName>/`. */ readonly prefix?: string };
  /** Days a noncurrent (overwritten or deleted) version is kept. Default: 90. */
  readonly noncurrentVersionDays?: number;
  /** Days before an incomplete multipart upload is aborted. Default: 7. */
  readonly abortIncompleteMultipartDays?: number;
  /** Extra lifecycle rules after the baseline one. Default: none. */
  readonly lifecycleRules?: readonly SecureBucketLifecycleRule[];
  /**
   * Intelligent-Tiering: a lifecycle rule moving objects into the INTELLIGENT_TIERING class, whose
   * automatic tiers (Frequent, Infrequent, Archive Instant Access) keep every object readable in
   * milliseconds. Default: off.
   */
  readonly intelligentTiering?: {
    /**
     * Opt-in archive tiers (an `aws_s3_bucket_intelligent_tiering_configuration`). Objects there are
     * NOT readable in real time: GetObject returns InvalidObjectState until a RestoreObject finishes
     * (hours), so give this only with a reader that restores. Default: none (automatic tiers only).
     */
    readonly archive?: {
      /** Default: 90 (the minimum AWS allows). */
      readonly archiveAccessDays?: number;
      /** Default: no Deep Archive Access tier. Minimum 180. */
      readonly deepArchiveAccessDays?: number;
      /** Who restores archived objects (recorded on the configuration as the policy exception's reason). */
      readonly restoredBy: string;
    };
  };
  /** CORS rules (browser uploads with presigned URLs). Default: no CORS configuration. */
  readonly cors?: readonly SecureBucketCorsRule[];
  /** Cross-region replication; requires `encryption: "kms"`. Default: none. */
  readonly replication?: SecureBucketReplication;
  /** Statements merged into the bucket's one policy after the TLS-only deny. Default: none. */
  readonly policyStatements?: readonly PolicyStatementJson[];
  /** Provider (the DR provider for replicas). Default: the stack's default AWS provider. */
  readonly provider?: TerraformProvider;
  /** Extra tags on the bucket. Default: none beyond the provider's default tags. */
  readonly tags?: Record<string, string>;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const STORAGE_CLASSES = ["STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"];

/**
 * The one way this app builds an S3 bucket: versioned, encrypted by default
 * (SSE-KMS with a bucket key), every public access blocked, ACLs disabled,
 * one bucket policy that denies anything but TLS and merges the grants added
 * by props or methods, lifecycle hygiene, optional access logging,
 * Intelligent-Tiering, CORS and cross-region replication, and
 * `prevent_destroy` on the bucket.
 *
 * Replicas: build the replica as another SecureBucket with the DR provider and
 * key, and pass it as `replication.destination`, or use `SecureBucket.replicated`.
 */
export class SecureBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly bucketDomainName: string;
  readonly bucketRegionalDomainName: string;
  /** The versioning resource (replication to this bucket must wait for it). */
  readonly versioning: S3BucketVersioningA;
  readonly policy: S3BucketPolicy;
  /** The replication role's ARN, when replication is configured. */
  readonly replicationRoleArn?: string;
  private readonly statements: PolicyStatementJson[] = [];

  /**
   * A bucket and its replica in the DR region, replicated. The replica is a sibling
   * construct `<id>-replica`, built with `replica.provider` and `replica.kmsKeyArn`,
   * with the same noncurrent-version expiry and no access logging (server access logs
   * must go to a bucket of the replica's own region).
   */
  static replicated(
    scope: Construct,
    id: string,
    props: Omit<SecureBucketProps, "replication"> & {
      readonly replication: Omit<SecureBucketReplication, "destination" | "destinationKmsKeyArn">;
    },
    replica: { readonly bucketName: string; readonly kmsKeyArn: string; readonly provider: TerraformProvider },
  ): { readonly source: SecureBucket; readonly replica: SecureBucket } {
    const target = new SecureBucket(scope, `${id}-replica`, {
      bucketName: replica.bucketName,
      kmsKeyArn: replica.kmsKeyArn,
      provider: replica.provider,
      noncurrentVersionDays: props.noncurrentVersionDays,
      tags: props.tags,
    });
    const source = new SecureBucket(scope, id, {
      ...props,
      replication: { ...props.replication, destination: target, destinationKmsKeyArn: replica.kmsKeyArn },
    });
    return { source, replica: target };
  }

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    validate(id, props);
    const provider = props.provider;
    const encryption = props.encryption ?? "kms";

    this.bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      forceDestroy: false,
      provider,
      tags: props.tags,
      lifecycle: { preventDestroy: true },
    });
    this.bucketName = this.bucket.bucket;
    this.bucketArn = this.bucket.arn;
    this.bucketDomainName = this.bucket.bucketDomainName;
    this.bucketRegionalDomainName = this.bucket.bucketRegionalDomainName;
    const bucket = this.bucket.id;

    this.versioning = new S3BucketVersioningA(this, "versioning", {
      bucket,
      versioningConfiguration: { status: "Enabled" },
      provider,
    });

    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket,
      provider,
      rule: [
        encryption === "kms"
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ],
    });

    const publicAccessBlock = new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
      provider,
    });

    new S3BucketOwnershipControls(this, "ownership", {
      bucket,
      rule: { objectOwnership: props.objectOwnership ?? "BucketOwnerEnforced" },
      provider,
    });

    this.statements.push({
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [this.bucketArn, `${this.bucketArn}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    for (const s of props.policyStatements ?? []) this.addToPolicy(s);
    // Rendered at synthesis so grants added after construction land in the same, single policy.
    this.policy = new S3BucketPolicy(this, "policy", {
      bucket,
      policy: Lazy.stringValue({ produce: () => JSON.stringify({ Version: "2012-10-17", Statement: this.statements }) }),
      provider,
      // S3 rejects concurrent changes to the policy and the public access block.
      dependsOn: [publicAccessBlock],
    });

    if (props.accessLogs) {
      new S3BucketLoggingA(this, "logging", {
        bucket,
        targetBucket: props.accessLogs.targetBucketName,
        targetPrefix: props.accessLogs.prefix ?? `${props.bucketName}/`,
        provider,
      });
    }

    const rules: S3BucketLifecycleConfigurationRule[] = [
      {
        id: "baseline",
        status: "Enabled",
        filter: [{}],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: props.abortIncompleteMultipartDays ?? 7 }],
        noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays ?? 90 }],
        expiration: [{ expiredObjectDeleteMarker: true }],
      },
    ];
    if (props.intelligentTiering) {
      rules.push({
        id: "intelligent-tiering",
        status: "Enabled",
        filter: [{}],
        transition: [{ days: 0, storageClass: "INTELLIGENT_TIERING" }],
      });
    }
    for (const r of props.lifecycleRules ?? []) {
      rules.push({
        id: r.id,
        status: "Enabled",
        filter: [r.prefix === undefined ? {} : { prefix: r.prefix }],
        transition: r.transitions?.map((t) => ({ days: t.days, storageClass: t.storageClass })),
        expiration: r.expirationDays === undefined ? undefined : [{ days: r.expirationDays }],
        noncurrentVersionTransition: r.noncurrentTransitions?.map((t) => ({ noncurrentDays: t.days, storageClass: t.storageClass })),
      });
    }
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket,
      rule: rules,
      provider,
      dependsOn: [this.versioning],
    });

    const archive = props.intelligentTiering?.archive;
    if (archive) {
      const tiering = new S3BucketIntelligentTieringConfiguration(this, "intelligent-tiering", {
        bucket,
        name: "archive-tiers",
        status: "Enabled",
        tiering: [
          { accessTier: "ARCHIVE_ACCESS", days: archive.archiveAccessDays ?? 90 },
          ...(archive.deepArchiveAccessDays === undefined ? [] : [{ accessTier: "DEEP_ARCHIVE_ACCESS", days: archive.deepArchiveAccessDays }]),
        ],
        provider,
      });
      suppress(tiering, "s3-intelligent-tiering-readable", `archived objects are restored by ${archive.restoredBy} (s3:RestoreObject) before they are read`);
    }

    if (props.cors && props.cors.length > 0) {
      new S3BucketCorsConfiguration(this, "cors", {
        bucket,
        corsRule: props.cors.map((c) => ({
          allowedMethods: [...c.allowedMethods],
          allowedOrigins: [...c.allowedOrigins],
          allowedHeaders: [...(c.allowedHeaders ?? ["*"])],
          exposeHeaders: [...(c.exposeHeaders ?? ["ETag"])],
          maxAgeSeconds: c.maxAgeSeconds ?? 3000,
        })),
        provider,
      });
    }

    if (props.replication) {
      this.replicationRoleArn = this.replicate(props, props.replication);
    }
  }

  /** ARN pattern of the objects under `prefix` (every object by default). */
  objectsArn(prefix = ""): string {
    return `${this.bucketArn}/${prefix}*`;
  }

  /** Adds a statement to the bucket's one policy. */
  addToPolicy(statement: PolicyStatementJson): void {
    const where = `SecureBucket ${this.node.path}`;
    if (this.statements.some((s) => s.Sid === statement.Sid)) throw new Error(`${where}: policy statement Sid "${statement.Sid}" is used twice; give each grant its own Sid`);
    if (!/^[A-Za-z0-9]+$/.test(statement.Sid)) throw new Error(`${where}: policy statement Sid "${statement.Sid}" must be letters and digits only`);
    if (statement.Effect === "Allow" && (statement.Principal === "*" || [statement.Principal.AWS].flat().includes("*"))) {
      throw new Error(`${where}: statement ${statement.Sid} allows any principal; name the service or role that needs access`);
    }
    const actions = [statement.Action].flat();
    if (statement.Effect === "Allow" && actions.some((a) => a === "*" || a === "s3:*")) {
      throw new Error(`${where}: statement ${statement.Sid} allows every action; list the S3 actions the principal needs`);
    }
    this.statements.push(statement);
  }

  /**
   * Lets a service read objects on behalf of one of its resources, e.g. CloudFront
   * through origin access control: `grantRead("cloudfront.amazonaws.com", distributionArn)`.
   * (With SSE-KMS the key policy must also let that service decrypt.)
   */
  grantRead(service: string, sourceArn: string, options: { readonly sid?: string; readonly prefix?: string } = {}): void {
    this.addToPolicy({
      Sid: options.sid ?? "AllowServiceRead",
      Effect: "Allow",
      Principal: { Service: service },
      Action: "s3:GetObject",
      Resource: this.objectsArn(options.prefix),
      Condition: { StringEquals: { "AWS:SourceArn": sourceArn } },
    });
  }

  /**
   * Lets `logging.s3.amazonaws.com` write server access logs of the account's buckets
   * (optionally only those matching `sourceBucketArns`, ARN patterns allowed) under `prefix`.
   */
  grantServerAccessLogs(options: { readonly sourceAccountId: string; readonly sourceBucketArns?: readonly string[]; readonly prefix?: string; readonly sid?: string }): void {
    this.addToPolicy({
      Sid: options.sid ?? "AllowS3ServerAccessLogs",
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: this.objectsArn(options.prefix),
      Condition: {
        StringEquals: { "aws:SourceAccount": options.sourceAccountId },
        ...(options.sourceBucketArns ? { ArnLike: { "aws:SourceArn": [...options.sourceBucketArns] } } : {}),
      },
    });
  }

  private replicate(props: SecureBucketProps, r: SecureBucketReplication): string {
    const provider = props.provider;
    const role = new IamRole(this, "replication-role", {
      name: r.roleName ?? `${props.bucketName}-replication`,
      description: `S3 replication of ${props.bucketName} to its DR replica`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        // Only S3 replicating this bucket (the confused-deputy guard; bucket names are global).
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "s3.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { ArnEquals: { "aws:SourceArn": `arn:aws:s3:::${props.bucketName}` } },
          },
        ],
      }),
      provider,
    });
    const destinationObjects = `${r.destination.bucketArn}/*`;
    new IamRolePolicy(this, "replication-policy", {
      role: role.name,
      name: "replication",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Sid: "ReadReplicationConfiguration", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: this.bucketArn },
          {
            Sid: "ReadSourceVersions",
            Effect: "Allow",
            Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
            Resource: `${this.bucketArn}/*`,
          },
          { Sid: "WriteReplicas", Effect: "Allow", Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], Resource: destinationObjects },
          {
            Sid: "DecryptSource",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: props.kmsKeyArn,
            Condition: {
              StringEquals: { "kms:ViaService": `s3.${r.sourceRegion}.amazonaws.com` },
              // With a bucket key the encryption context is the bucket ARN, otherwise the object ARN.
              StringLike: { "kms:EncryptionContext:aws:s3:arn": [this.bucketArn, `${this.bucketArn}/*`] },
            },
          },
          {
            Sid: "EncryptReplicas",
            Effect: "Allow",
            Action: "kms:Encrypt",
            Resource: r.destinationKmsKeyArn,
            Condition: {
              StringEquals: { "kms:ViaService": `s3.${r.destinationRegion}.amazonaws.com` },
              StringLike: { "kms:EncryptionContext:aws:s3:arn": [r.destination.bucketArn, destinationObjects] },
            },
          },
        ],
      }),
      provider,
    });
    const rtc = r.replicationTimeControl ?? false;
    new S3BucketReplicationConfigurationA(this, "replication", {
      bucket: this.bucket.id,
      role: role.arn,
      provider,
      rule: [
        {
          id: "dr-replica",
          status: "Enabled",
          priority: 1,
          filter: {},
          deleteMarkerReplication: { status: r.deleteMarkerReplication ? "Enabled" : "Disabled" },
          sourceSelectionCriteria: {
            sseKmsEncryptedObjects: { status: "Enabled" },
            replicaModifications: { status: (r.replicaModifications ?? true) ? "Enabled" : "Disabled" },
          },
          destination: {
            bucket: r.destination.bucketArn,
            storageClass: r.storageClass ?? "STANDARD",
            encryptionConfiguration: { replicaKmsKeyId: r.destinationKmsKeyArn },
            ...(rtc
              ? {
                  replicationTime: { status: "Enabled", time: { minutes: 15 } },
                  metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
                }
              : {}),
          },
        },
      ],
      // S3 refuses a replication configuration until both buckets are versioned.
      dependsOn: [this.versioning, ...(r.destination.versioning ? [r.destination.versioning] : [])],
    });
    return role.arn;
  }
}

function validate(id: string, props: SecureBucketProps): void {
  const fail = (msg: string): never => {
    throw new Error(`SecureBucket ${id}: ${msg}`);
  };
  const name = props.bucketName;
  if (!BUCKET_NAME.test(name) || /\.\.|^\d+\.\d+\.\d+\.\d+$|^xn--|-s3alias$|--ol-s3$/.test(name)) {
    fail(`bucketName "${name}" is not a valid S3 bucket name: use 3-63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit, no '..', not an IP address, no 'xn--' prefix or '-s3alias'/'--ol-s3' suffix`);
  }
  const encryption = props.encryption ?? "kms";
  if (encryption === "kms" && !props.kmsKeyArn) fail(`give kmsKeyArn (the customer-managed key for SSE-KMS), or encryption: "s3" for a bucket ALB access logs are written to`);
  if (encryption === "s3" && props.kmsKeyArn) fail(`kmsKeyArn is ignored with encryption: "s3"; remove it or use encryption: "kms"`);
  const positive = (value: number | undefined, what: string) => {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) fail(`${what} must be a whole number of days >= 1, got ${value}`);
  };
  positive(props.noncurrentVersionDays, "noncurrentVersionDays");
  positive(props.abortIncompleteMultipartDays, "abortIncompleteMultipartDays");
  const it = props.intelligentTiering?.archive;
  if (it) {
    const archive = it.archiveAccessDays ?? 90;
    if (!Number.isInteger(archive) || archive < 90 || archive > 730) fail(`intelligentTiering.archive.archiveAccessDays must be 90-730, got ${archive}`);
    const deep = it.deepArchiveAccessDays;
    if (deep !== undefined) {
      if (!Number.isInteger(deep) || deep < 180 || deep > 730) fail(`intelligentTiering.archive.deepArchiveAccessDays must be 180-730, got ${deep}`);
      if (deep <= archive) fail(`intelligentTiering.archive.deepArchiveAccessDays (${deep}) must be greater than archiveAccessDays (${archive})`);
    }
    if (!it.restoredBy?.trim()) fail("intelligentTiering.archive needs restoredBy: archived objects are unreadable until restored, so name the reader that restores them");
  }
  const ids = new Set<string>(["baseline", "intelligent-tiering"]);
  for (const r of props.lifecycleRules ?? []) {
    if (ids.has(r.id)) fail(`lifecycle rule id "${r.id}" is used twice (baseline and intelligent-tiering are taken)`);
    ids.add(r.id);
    for (const t of [...(r.transitions ?? []), ...(r.noncurrentTransitions ?? [])]) {
      if (!STORAGE_CLASSES.includes(t.storageClass)) fail(`lifecycle rule ${r.id}: storage class ${t.storageClass} is not one of ${STORAGE_CLASSES.join(", ")}`);
      if (!Number.isInteger(t.days) || t.days < 0) fail(`lifecycle rule ${r.id}: transition days must be a whole number >= 0, got ${t.days}`);
      if (t.storageClass.endsWith("_IA") && t.days < 30) fail(`lifecycle rule ${r.id}: S3 transitions to ${t.storageClass} after 30 days at the earliest, got ${t.days}`);
    }
    const last = Math.max(0, ...(r.transitions ?? []).map((t) => t.days));
    if (r.expirationDays !== undefined && r.expirationDays <= last) fail(`lifecycle rule ${r.id}: expirationDays (${r.expirationDays}) must come after the last transition (${last} days)`);
    if (!r.transitions?.length && r.expirationDays === undefined && !r.noncurrentTransitions?.length) fail(`lifecycle rule ${r.id} does nothing: give transitions, noncurrentTransitions or expirationDays`);
  }
  for (const c of props.cors ?? []) {
    if (c.allowedOrigins.length === 0) fail("a CORS rule needs at least one allowed origin");
    if (c.allowedOrigins.includes("*")) fail(`CORS allowedOrigins must name the site's origins, not "*"`);
  }
  const r = props.replication;
  if (r) {
    if (encryption !== "kms") fail(`replication needs encryption: "kms" (replicas are encrypted with the DR key)`);
    if (!r.destinationKmsKeyArn) fail("replication needs destinationKmsKeyArn, the DR region's KMS key the replicas are encrypted with");
    if (!r.destination?.bucketArn) fail("replication needs destination.bucketArn (the replica bucket)");
    if (!REGION.test(r.sourceRegion) || !REGION.test(r.destinationRegion)) fail(`replication sourceRegion/destinationRegion must be region codes such as eu-west-1, got ${r.sourceRegion}/${r.destinationRegion}`);
    if (r.sourceRegion === r.destinationRegion) fail(`replication destinationRegion must differ from sourceRegion (${r.sourceRegion}): a regional outage would take both copies`);
    const roleName = r.roleName ?? `${name}-replication`;
    if (!/^[\w+=,.@-]{1,64}$/.test(roleName)) fail(`replication role name "${roleName}" exceeds IAM's 64 characters or uses characters IAM refuses; set replication.roleName`);
  }
}
