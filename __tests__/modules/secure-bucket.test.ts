import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketIntelligentTieringConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-intelligent-tiering-configuration";
import { S3BucketCorsConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-cors-configuration";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { SecureBucket, type SecureBucketProps } from "../../modules/secure-bucket/secure-bucket";
import { parseSynth, resourcesOf, type SynthJson } from "../support/fixtures";

const KEY = "arn:aws:kms:eu-west-1:111111111111:key/primary";
const DR_KEY = "arn:aws:kms:eu-central-1:111111111111:key/dr";
const BASE: SecureBucketProps = { bucketName: "upskill-dev-uploads", kmsKeyArn: KEY };
const REPLICATION = {
  destination: { bucketArn: "arn:aws:s3:::upskill-dev-uploads-replica" },
  destinationKmsKeyArn: DR_KEY,
  sourceRegion: "eu-west-1",
  destinationRegion: "eu-central-1",
};

function synthBucket(props: Partial<SecureBucketProps> = {}, after?: (b: SecureBucket) => void): string {
  return Testing.synthScope((scope) => {
    const b = new SecureBucket(scope, "uploads", { ...BASE, ...props });
    after?.(b);
  });
}

function only(json: SynthJson, type: string): Record<string, any> {
  const all = Object.values(resourcesOf(json, type));
  expect(all).toHaveLength(1);
  return all[0]!;
}

function policyOf(json: SynthJson): { Statement: any[] } {
  return JSON.parse(only(json, "aws_s3_bucket_policy").policy);
}

function lifecycleRules(json: SynthJson): any[] {
  return only(json, "aws_s3_bucket_lifecycle_configuration").rule;
}

describe("SecureBucket defaults", () => {
  const synth = synthBucket();
  const json = parseSynth(synth);
  const bucketRef = `\${aws_s3_bucket.${Object.keys(resourcesOf(json, "aws_s3_bucket"))[0]}.id}`;

  test("the bucket cannot be destroyed, even when not empty", () => {
    expect(synth).toHaveResourceWithProperties(S3Bucket, {
      bucket: "upskill-dev-uploads",
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
  });

  test("versioning is enabled", () => {
    expect(synth).toHaveResourceWithProperties(S3BucketVersioningA, { bucket: bucketRef, versioning_configuration: { status: "Enabled" } });
  });

  test("SSE-KMS with the given key and a bucket key", () => {
    expect(synth).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      bucket: bucketRef,
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: KEY }, bucket_key_enabled: true }],
    });
  });

  test("every public access is blocked", () => {
    expect(synth).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      bucket: bucketRef,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  test("ACLs are disabled (bucket owner enforced)", () => {
    expect(synth).toHaveResourceWithProperties(S3BucketOwnershipControls, { bucket: bucketRef, rule: { object_ownership: "BucketOwnerEnforced" } });
  });

  test("one policy that denies every request without TLS on the bucket and its objects", () => {
    const policy = policyOf(json);
    expect(policy.Statement).toHaveLength(1);
    const arn = bucketRef.replace(".id}", ".arn}");
    expect(policy.Statement[0]).toEqual({
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [arn, `${arn}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    expect(only(json, "aws_s3_bucket_policy").bucket).toBe(bucketRef);
  });

  test("lifecycle aborts multipart uploads after 7 days and expires noncurrent versions after 90", () => {
    const rules = lifecycleRules(json);
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({
      id: "baseline",
      status: "Enabled",
      abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      noncurrent_version_expiration: [{ noncurrent_days: 90 }],
    });
  });

  test("no logging, tiering, CORS or replication unless asked", () => {
    for (const type of [
      "aws_s3_bucket_logging",
      "aws_s3_bucket_intelligent_tiering_configuration",
      "aws_s3_bucket_cors_configuration",
      "aws_s3_bucket_replication_configuration",
      "aws_iam_role",
    ]) {
      expect(resourcesOf(json, type)).toEqual({});
    }
  });
});

describe("SecureBucket options", () => {
  test("noncurrentVersionDays and abortIncompleteMultipartDays", () => {
    const rules = lifecycleRules(parseSynth(synthBucket({ noncurrentVersionDays: 30, abortIncompleteMultipartDays: 2 })));
    expect(rules[0].noncurrent_version_expiration).toEqual([{ noncurrent_days: 30 }]);
    expect(rules[0].abort_incomplete_multipart_upload).toEqual([{ days_after_initiation: 2 }]);
  });

  test("SSE-S3 for a log bucket of ALB access logs", () => {
    const synth = synthBucket({ encryption: "s3", kmsKeyArn: undefined });
    expect(synth).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }],
    });
  });

  test("BucketOwnerPreferred for a CloudFront (legacy) log bucket", () => {
    expect(synthBucket({ objectOwnership: "BucketOwnerPreferred" })).toHaveResourceWithProperties(S3BucketOwnershipControls, {
      rule: { object_ownership: "BucketOwnerPreferred" },
    });
  });

  test("server access logging to the target bucket, prefixed by the bucket name by default", () => {
    expect(synthBucket({ accessLogs: { targetBucketName: "upskill-dev-logs" } })).toHaveResourceWithProperties(S3BucketLoggingA, {
      target_bucket: "upskill-dev-logs",
      target_prefix: "upskill-dev-uploads/",
    });
    expect(synthBucket({ accessLogs: { targetBucketName: "upskill-dev-logs", prefix: "s3/uploads/" } })).toHaveResourceWithProperties(S3BucketLoggingA, {
      target_prefix: "s3/uploads/",
    });
  });

  test("Intelligent-Tiering by default: a transition into the class and no archive tiers (every object stays readable)", () => {
    const synth = synthBucket({ intelligentTiering: {} });
    expect(synth).not.toHaveResource(S3BucketIntelligentTieringConfiguration);
    const rules = lifecycleRules(parseSynth(synth));
    expect(rules.find((r) => r.id === "intelligent-tiering")).toMatchObject({ transition: [{ days: 0, storage_class: "INTELLIGENT_TIERING" }] });
  });

  test("archive tiers only on opt-in with a restoring reader, recorded as the policy exception", () => {
    let tiering: S3BucketIntelligentTieringConfiguration | undefined;
    const synth = synthBucket({ intelligentTiering: { archive: { archiveAccessDays: 120, deepArchiveAccessDays: 365, restoredBy: "the worker service" } } }, (b) => {
      tiering = b.node.findAll().find((c): c is S3BucketIntelligentTieringConfiguration => c instanceof S3BucketIntelligentTieringConfiguration);
    });
    expect(synth).toHaveResourceWithProperties(S3BucketIntelligentTieringConfiguration, {
      status: "Enabled",
      tiering: [
        { access_tier: "ARCHIVE_ACCESS", days: 120 },
        { access_tier: "DEEP_ARCHIVE_ACCESS", days: 365 },
      ],
    });
    const config: any = Object.values<any>(tiering!.toTerraform().resource.aws_s3_bucket_intelligent_tiering_configuration)[0];
    expect(config["//"].suppressions).toEqual([{ rule: "s3-intelligent-tiering-readable", reason: expect.stringContaining("the worker service") }]);
    expect(Object.values<any>(parseSynth(synthBucket({ intelligentTiering: { archive: { restoredBy: "x-service" } } })).resource!.aws_s3_bucket_intelligent_tiering_configuration ?? {})[0]?.tiering).toEqual([
      { access_tier: "ARCHIVE_ACCESS", days: 90 },
    ]);
  });

  test("CORS rules with defaults for headers and max age", () => {
    expect(
      synthBucket({ cors: [{ allowedMethods: ["PUT", "POST"], allowedOrigins: ["https://app.example.com"] }] }),
    ).toHaveResourceWithProperties(S3BucketCorsConfiguration, {
      cors_rule: [
        {
          allowed_methods: ["PUT", "POST"],
          allowed_origins: ["https://app.example.com"],
          allowed_headers: ["*"],
          expose_headers: ["ETag"],
          max_age_seconds: 3000,
        },
      ],
    });
  });

  test("extra lifecycle rules follow the baseline (transitions to Glacier classes and expiration)", () => {
    const rules = lifecycleRules(
      parseSynth(
        synthBucket({
          lifecycleRules: [
            {
              id: "archive",
              prefix: "dumps/",
              transitions: [
                { days: 30, storageClass: "GLACIER_IR" },
                { days: 180, storageClass: "DEEP_ARCHIVE" },
              ],
              expirationDays: 3650,
              noncurrentTransitions: [{ days: 1, storageClass: "GLACIER" }],
            },
          ],
        }),
      ),
    );
    expect(rules.map((r) => r.id)).toEqual(["baseline", "archive"]);
    expect(rules[1]).toMatchObject({
      status: "Enabled",
      filter: [{ prefix: "dumps/" }],
      transition: [
        { days: 30, storage_class: "GLACIER_IR" },
        { days: 180, storage_class: "DEEP_ARCHIVE" },
      ],
      expiration: [{ days: 3650 }],
      noncurrent_version_transition: [{ noncurrent_days: 1, storage_class: "GLACIER" }],
    });
  });

  test("extra statements from props and grant methods merge into the one policy", () => {
    const json = parseSynth(
      synthBucket(
        {
          policyStatements: [
            { Sid: "AlbLogs", Effect: "Allow", Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" }, Action: "s3:PutObject", Resource: "arn:aws:s3:::upskill-dev-uploads/alb/*" },
          ],
        },
        (b) => {
          b.grantRead("cloudfront.amazonaws.com", "arn:aws:cloudfront::111111111111:distribution/E1", { sid: "CloudFrontRead" });
          b.grantServerAccessLogs({ sourceAccountId: "111111111111", sourceBucketArns: ["arn:aws:s3:::upskill-dev-*"], prefix: "s3/" });
        },
      ),
    );
    const statements = policyOf(json).Statement;
    expect(statements.map((s) => s.Sid)).toEqual(["DenyInsecureTransport", "AlbLogs", "CloudFrontRead", "AllowS3ServerAccessLogs"]);
    expect(statements[2]).toMatchObject({
      Effect: "Allow",
      Principal: { Service: "cloudfront.amazonaws.com" },
      Action: "s3:GetObject",
      Condition: { StringEquals: { "AWS:SourceArn": "arn:aws:cloudfront::111111111111:distribution/E1" } },
    });
    expect(statements[2].Resource).toMatch(/^\$\{aws_s3_bucket\.[^}]+\.arn\}\/\*$/);
    expect(statements[3]).toMatchObject({
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Condition: { StringEquals: { "aws:SourceAccount": "111111111111" }, ArnLike: { "aws:SourceArn": ["arn:aws:s3:::upskill-dev-*"] } },
    });
    expect(statements[3].Resource).toMatch(/\/s3\/\*$/);
  });

  test("the provider prop puts every resource on that provider (DR replicas)", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "s");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    const dr = new AwsProvider(stack, "aws_dr", { region: "eu-central-1", alias: "dr" });
    new SecureBucket(stack, "replica", { bucketName: "upskill-dev-uploads-replica", kmsKeyArn: DR_KEY, provider: dr });
    const json = parseSynth(Testing.synth(stack));
    const resources = Object.values(json.resource ?? {}).flatMap((byName) => Object.values(byName));
    expect(resources.length).toBeGreaterThanOrEqual(7);
    for (const r of resources) expect(r.provider).toBe("aws.dr");
  });
});

describe("SecureBucket replication", () => {
  const json = parseSynth(synthBucket({ replication: REPLICATION }));
  const bucketName = Object.keys(resourcesOf(json, "aws_s3_bucket"))[0];
  const arn = `\${aws_s3_bucket.${bucketName}.arn}`;

  test("a role only S3 can assume, and only to replicate this bucket", () => {
    const role = only(json, "aws_iam_role");
    expect(role.name).toBe("upskill-dev-uploads-replication");
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
      { Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:s3:::upskill-dev-uploads" } } },
    ]);
  });

  test("the role policy is least privilege: source reads, replica writes, KMS through S3 only", () => {
    const statements = JSON.parse(only(json, "aws_iam_role_policy").policy).Statement;
    const bySid = Object.fromEntries(statements.map((s: any) => [s.Sid, s]));
    expect(Object.keys(bySid).sort()).toEqual(["DecryptSource", "EncryptReplicas", "ReadReplicationConfiguration", "ReadSourceVersions", "WriteReplicas"]);
    expect(bySid.ReadReplicationConfiguration).toMatchObject({ Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: arn });
    expect(bySid.ReadSourceVersions).toMatchObject({
      Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
      Resource: `${arn}/*`,
    });
    expect(bySid.WriteReplicas).toMatchObject({
      Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
      Resource: "arn:aws:s3:::upskill-dev-uploads-replica/*",
    });
    expect(bySid.DecryptSource).toMatchObject({
      Action: "kms:Decrypt",
      Resource: KEY,
      Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } },
    });
    expect(bySid.EncryptReplicas).toMatchObject({
      Action: "kms:Encrypt",
      Resource: DR_KEY,
      Condition: { StringEquals: { "kms:ViaService": "s3.eu-central-1.amazonaws.com" } },
    });
    for (const s of statements) {
      expect(s.Effect).toBe("Allow");
      expect([s.Resource].flat()).not.toContain("*");
      expect([s.Action].flat().some((a: string) => a.endsWith("*"))).toBe(false);
    }
  });

  test("the configuration replicates KMS-encrypted objects with the DR key, after versioning", () => {
    const config = only(json, "aws_s3_bucket_replication_configuration");
    expect(config.bucket).toBe(`\${aws_s3_bucket.${bucketName}.id}`);
    expect(config.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_versioning\./)]);
    expect(config.rule).toEqual([
      expect.objectContaining({
        status: "Enabled",
        filter: {},
        delete_marker_replication: { status: "Disabled" },
        source_selection_criteria: { sse_kms_encrypted_objects: { status: "Enabled" }, replica_modifications: { status: "Enabled" } },
        destination: {
          bucket: "arn:aws:s3:::upskill-dev-uploads-replica",
          storage_class: "STANDARD",
          encryption_configuration: { replica_kms_key_id: DR_KEY },
        },
      }),
    ]);
  });

  test("delete markers, replica modifications and replication time control switch", () => {
    const synth = synthBucket({ replication: { ...REPLICATION, deleteMarkerReplication: true, replicaModifications: false, replicationTimeControl: true } });
    expect(synth).toHaveResourceWithProperties(S3BucketReplicationConfigurationA, {
      rule: [
        expect.objectContaining({
          delete_marker_replication: { status: "Enabled" },
          source_selection_criteria: expect.objectContaining({ replica_modifications: { status: "Disabled" } }),
          destination: expect.objectContaining({
            replication_time: { status: "Enabled", time: { minutes: 15 } },
            metrics: { status: "Enabled", event_threshold: { minutes: 15 } },
          }),
        }),
      ],
    });
  });

  test("SecureBucket.replicated builds the replica with the DR provider and key and waits for its versioning", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "s");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    const dr = new AwsProvider(stack, "aws_dr", { region: "eu-central-1", alias: "dr" });
    const { source, replica } = SecureBucket.replicated(
      stack,
      "uploads",
      { ...BASE, noncurrentVersionDays: 45, replication: { sourceRegion: "eu-west-1", destinationRegion: "eu-central-1", deleteMarkerReplication: true } },
      { bucketName: "upskill-dev-uploads-replica", kmsKeyArn: DR_KEY, provider: dr },
    );
    expect(source.replicationRoleArn).toBeDefined();
    expect(replica.replicationRoleArn).toBeUndefined();
    const json = parseSynth(Testing.synth(stack));
    const buckets = resourcesOf(json, "aws_s3_bucket");
    const replicaName = Object.keys(buckets).find((k) => buckets[k]!.bucket === "upskill-dev-uploads-replica")!;
    expect(buckets[replicaName]!.provider).toBe("aws.dr");
    const encryption = Object.values(resourcesOf(json, "aws_s3_bucket_server_side_encryption_configuration")).find(
      (e) => e.bucket === `\${aws_s3_bucket.${replicaName}.id}`,
    )!;
    expect(encryption.rule[0].apply_server_side_encryption_by_default.kms_master_key_id).toBe(DR_KEY);
    const config = only(json, "aws_s3_bucket_replication_configuration");
    expect(config.rule[0].destination.bucket).toBe(`\${aws_s3_bucket.${replicaName}.arn}`);
    expect(config.depends_on).toHaveLength(2);
    const lifecycles = Object.values(resourcesOf(json, "aws_s3_bucket_lifecycle_configuration"));
    for (const l of lifecycles) expect(l.rule[0].noncurrent_version_expiration).toEqual([{ noncurrent_days: 45 }]);
  });
});

describe("SecureBucket refuses bad props", () => {
  test.each(([
    [{ bucketName: "Upskill_Uploads" }, /not a valid S3 bucket name/],
    [{ bucketName: "ab" }, /not a valid S3 bucket name/],
    [{ bucketName: "a..b" }, /not a valid S3 bucket name/],
    [{ bucketName: "192.168.1.1" }, /not a valid S3 bucket name/],
    [{ kmsKeyArn: undefined }, /give kmsKeyArn/],
    [{ encryption: "s3" as const }, /kmsKeyArn is ignored/],
    [{ noncurrentVersionDays: 0 }, /noncurrentVersionDays must be a whole number/],
    [{ intelligentTiering: { archive: { archiveAccessDays: 30, restoredBy: "worker" } } }, /archiveAccessDays must be 90-730/],
    [{ intelligentTiering: { archive: { archiveAccessDays: 200, deepArchiveAccessDays: 190, restoredBy: "worker" } } }, /must be greater than archiveAccessDays/],
    [{ intelligentTiering: { archive: { restoredBy: " " } } }, /needs restoredBy/],
    [{ cors: [{ allowedMethods: ["PUT" as const], allowedOrigins: ["*"] }] }, /not "\*"/],
    [{ lifecycleRules: [{ id: "baseline", expirationDays: 10 }] }, /used twice/],
    [{ lifecycleRules: [{ id: "x", transitions: [{ days: 10, storageClass: "STANDARD_IA" }] }] }, /30 days at the earliest/],
    [{ lifecycleRules: [{ id: "x", transitions: [{ days: 10, storageClass: "COLD" }] }] }, /storage class COLD/],
    [{ lifecycleRules: [{ id: "x", transitions: [{ days: 100, storageClass: "GLACIER" }], expirationDays: 50 }] }, /must come after the last transition/],
    [{ lifecycleRules: [{ id: "x" }] }, /does nothing/],
    [{ replication: { ...REPLICATION, destinationKmsKeyArn: "" } }, /needs destinationKmsKeyArn/],
    [{ replication: { ...REPLICATION, destinationRegion: "eu-west-1" } }, /must differ from sourceRegion/],
    [{ encryption: "s3" as const, kmsKeyArn: undefined, replication: REPLICATION }, /replication needs encryption: "kms"/],
    [{ bucketName: "upskill-production-user-uploads-with-a-very-long-name-000000", replication: REPLICATION }, /set replication.roleName/],
  ] as [Record<string, unknown>, RegExp][]).map(([props, message]) => [message.source, props, message] as const))("fails with /%s/", (_label, props, message) => {
    expect(() => synthBucket(props as Partial<SecureBucketProps>)).toThrow(message);
  });

  test("policy grants that open the bucket or clash are refused", () => {
    const statement = { Sid: "A", Effect: "Allow" as const, Principal: { Service: "cloudfront.amazonaws.com" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::x/*" };
    expect(() => synthBucket({}, (b) => b.addToPolicy({ ...statement, Principal: "*" }))).toThrow(/allows any principal/);
    expect(() => synthBucket({}, (b) => b.addToPolicy({ ...statement, Action: "s3:*" }))).toThrow(/allows every action/);
    expect(() => synthBucket({}, (b) => b.addToPolicy({ ...statement, Sid: "DenyInsecureTransport" }))).toThrow(/used twice/);
    expect(() => synthBucket({}, (b) => b.addToPolicy({ ...statement, Sid: "has space" }))).toThrow(/letters and digits/);
  });
});
