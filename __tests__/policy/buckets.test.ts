import { synthesizedApp, type SynthResource } from "../support/synthesized-app";

/**
 * Every S3 bucket of the app, all environments and layers: versioned, encrypted,
 * private, TLS-only, undeletable by accident; every replica versioned and
 * encrypted in the DR region. A bucket's settings are the resources whose
 * `bucket` is the reference `${aws_s3_bucket.<name>.id}` in the same stack.
 */
describe("policy: buckets", () => {
  const app = synthesizedApp();
  const buckets = app.ofType("aws_s3_bucket");

  const idRef = (b: SynthResource) => `\${aws_s3_bucket.${b.name}.id}`;
  const arnRef = (b: SynthResource) => `\${aws_s3_bucket.${b.name}.arn}`;
  /** The resources of `type` in the bucket's stack that configure it. */
  const settingsOf = (b: SynthResource, type: string) => app.ofType(type).filter((r) => r.stack === b.stack && r.config.bucket === idRef(b));
  const isLogBucket = (b: SynthResource) => /log/.test(String(b.config.bucket ?? b.name));

  /** Runs `check` on every bucket and returns the addresses (with reasons) that fail it. */
  function offenders(check: (b: SynthResource) => string | undefined): string[] {
    return buckets.flatMap((b) => {
      const reason = check(b);
      return reason ? [`${b.address}: ${reason}`] : [];
    });
  }

  test("the app has buckets to check (every environment's state bucket at least)", () => {
    expect(buckets.length).toBeGreaterThanOrEqual(3);
  });

  test("every bucket has prevent_destroy and no force_destroy", () => {
    expect(
      offenders((b) => (b.config.lifecycle?.prevent_destroy !== true ? "no lifecycle.prevent_destroy" : b.config.force_destroy === true ? "force_destroy is true" : undefined)),
    ).toEqual([]);
  });

  test("every bucket has versioning enabled", () => {
    expect(
      offenders((b) => {
        const v = settingsOf(b, "aws_s3_bucket_versioning");
        if (v.length !== 1) return `${v.length} aws_s3_bucket_versioning for it (want 1)`;
        return v[0]!.config.versioning_configuration?.status === "Enabled" ? undefined : "versioning not Enabled";
      }),
    ).toEqual([]);
  });

  test("every bucket is encrypted by default: SSE-KMS with a customer key and bucket key, SSE-S3 only for log buckets", () => {
    expect(
      offenders((b) => {
        const sse = settingsOf(b, "aws_s3_bucket_server_side_encryption_configuration");
        if (sse.length !== 1) return `${sse.length} aws_s3_bucket_server_side_encryption_configuration for it (want 1)`;
        const rule = sse[0]!.config.rule?.[0];
        const algorithm = rule?.apply_server_side_encryption_by_default?.sse_algorithm;
        if (algorithm === "aws:kms" || algorithm === "aws:kms:dsse") {
          if (!rule.apply_server_side_encryption_by_default.kms_master_key_id) return "SSE-KMS without a customer-managed key";
          return rule.bucket_key_enabled === true ? undefined : "SSE-KMS without bucket_key_enabled";
        }
        if (algorithm === "AES256") return isLogBucket(b) ? undefined : "SSE-S3 (AES256) is only for log buckets (ALB access logs require it)";
        return `no default encryption algorithm (${algorithm})`;
      }),
    ).toEqual([]);
  });

  test("every bucket blocks all public access", () => {
    expect(
      offenders((b) => {
        const pab = settingsOf(b, "aws_s3_bucket_public_access_block");
        if (pab.length !== 1) return `${pab.length} aws_s3_bucket_public_access_block for it (want 1)`;
        const missing = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"].filter((k) => pab[0]!.config[k] !== true);
        return missing.length ? `public access block lacks ${missing.join(", ")}` : undefined;
      }),
    ).toEqual([]);
  });

  test("every bucket has ownership controls (ACLs disabled unless a log bucket needs them)", () => {
    expect(
      offenders((b) => {
        const oc = settingsOf(b, "aws_s3_bucket_ownership_controls");
        if (oc.length !== 1) return `${oc.length} aws_s3_bucket_ownership_controls for it (want 1)`;
        const ownership = oc[0]!.config.rule?.object_ownership;
        if (ownership === "BucketOwnerEnforced") return undefined;
        return ownership === "BucketOwnerPreferred" && isLogBucket(b) ? undefined : `object_ownership ${ownership}`;
      }),
    ).toEqual([]);
  });

  test("every bucket has exactly one policy, and it denies requests without TLS on the bucket and its objects", () => {
    expect(
      offenders((b) => {
        const policies = settingsOf(b, "aws_s3_bucket_policy");
        if (policies.length !== 1) return `${policies.length} aws_s3_bucket_policy for it (want exactly 1)`;
        let document: any;
        try {
          document = JSON.parse(policies[0]!.config.policy);
        } catch {
          return "bucket policy is not a literal JSON document";
        }
        const denies = [document.Statement].flat().some((s: any) => {
          const resources = [s.Resource].flat();
          return (
            s.Effect === "Deny" &&
            (s.Principal === "*" || s.Principal?.AWS === "*") &&
            [s.Action].flat().some((a: string) => a === "s3:*") &&
            String(s.Condition?.Bool?.["aws:SecureTransport"]) === "false" &&
            resources.includes(arnRef(b)) &&
            resources.includes(`${arnRef(b)}/*`)
          );
        });
        return denies ? undefined : "bucket policy does not deny aws:SecureTransport=false on the bucket and its objects";
      }),
    ).toEqual([]);
  });

  test("every replicated bucket replicates to a versioned, encrypted bucket in the DR region", () => {
    const problems = app.ofType("aws_s3_bucket_replication_configuration").flatMap((r) => {
      const source = buckets.find((b) => b.stack === r.stack && idRef(b) === r.config.bucket);
      if (!source) return [`${r.address}: its bucket ${r.config.bucket} is not a bucket of the stack`];
      return [r.config.rule].flat().flatMap((rule: any, i: number) => {
        const where = `${r.address} rule[${i}]`;
        const destination = buckets.find((b) => b.stack === r.stack && arnRef(b) === rule.destination?.bucket);
        if (!destination) return [`${where}: destination ${rule.destination?.bucket} is not a bucket of the stack`];
        const issues: string[] = [];
        const versioning = settingsOf(destination, "aws_s3_bucket_versioning");
        if (versioning[0]?.config.versioning_configuration?.status !== "Enabled") issues.push(`destination ${destination.address} is not versioned`);
        if (settingsOf(destination, "aws_s3_bucket_server_side_encryption_configuration").length !== 1) issues.push(`destination ${destination.address} has no default encryption`);
        if (!rule.destination?.encryption_configuration?.replica_kms_key_id) issues.push("replicas are not encrypted with a KMS key (encryption_configuration.replica_kms_key_id)");
        if (destination.config.provider === source.config.provider) issues.push(`destination ${destination.address} uses the source's provider (same region)`);
        if (!String(destination.config.provider ?? "").startsWith("aws.dr")) issues.push(`destination ${destination.address} is not on the DR provider`);
        if (!(r.config.depends_on ?? []).some((d: string) => d.startsWith("aws_s3_bucket_versioning."))) issues.push("does not depend on versioning");
        return issues.map((m) => `${where}: ${m}`);
      });
    });
    expect(problems).toEqual([]);
  });
});
