import { synthesizedApp, stacksOf, type SynthResource } from "../support/synthesized-app";
import { SHIPPED_ENVIRONMENTS } from "../support/fixtures";

/**
 * The data baselines over the whole synthesized app: databases, caches,
 * buckets and their replicas, and no secret literal in any stack.
 */
const app = synthesizedApp();

/** `${aws_s3_bucket.NAME.attr}` -> NAME (the resource a reference points at). */
function refName(value: unknown, type: string): string | undefined {
  const m = typeof value === "string" ? value.match(new RegExp(`^\\$\\{${type}\\.([^.}]+)\\.[a-z_]+\\}$`)) : null;
  return m?.[1];
}

/** Resources of `type` in `stack` that configure the bucket resource `bucket` (by their `bucket` reference). */
function partsOf(stack: string, type: string, bucket: string): SynthResource[] {
  return app.ofType(type).filter((r) => r.stack === stack && refName(r.config.bucket, "aws_s3_bucket") === bucket);
}

function bucketPolicy(b: SynthResource): any | undefined {
  const p = partsOf(b.stack, "aws_s3_bucket_policy", b.name)[0];
  return p ? JSON.parse(p.config.policy) : undefined;
}

const grantsTo = (policy: any, service: string) => (policy?.Statement ?? []).some((s: any) => s.Effect === "Allow" && [s.Principal?.Service].flat().includes(service));

/**
 * Every key/value pair of a JSON tree, with its path; "//" subtrees are left out:
 * they are cdktf's comments (construct paths, output names), which Terraform ignores.
 */
function* walk(node: unknown, path: string): Generator<[string, string, unknown]> {
  if (Array.isArray(node)) {
    for (const [i, v] of node.entries()) yield* walk(v, `${path}[${i}]`);
  } else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "//") continue;
      yield [`${path}.${k}`, k, v];
      yield* walk(v, `${path}.${k}`);
    }
  }
}

const SECRET_KEY = /password|secret|auth_token|token/i;
/** Keys that match SECRET_KEY but hold a setting, never a secret; each with why. */
const NOT_SECRET = new Map([
  ["http_tokens", "IMDS mode of a launch template (required/optional)"],
]);
const isLiteral = (v: unknown) => typeof v === "string" && v !== "" && !v.includes("${");

function secretLiterals(stack: string, json: unknown): string[] {
  const found: string[] = [];
  for (const [path, key, value] of walk(json, stack)) {
    if (!SECRET_KEY.test(key) || NOT_SECRET.has(key)) continue;
    const values = Array.isArray(value) ? value : [value];
    if (values.some(isLiteral)) found.push(path);
  }
  return found;
}

describe("policy: data", () => {
  const databases = app.ofType("aws_db_instance");
  const caches = app.ofType("aws_elasticache_replication_group");
  const buckets = app.ofType("aws_s3_bucket");

  test("every shipped environment has its data stack", () => {
    for (const env of SHIPPED_ENVIRONMENTS) expect(stacksOf(app, env)).toContain(`${env}-data`);
    expect(databases.length).toBeGreaterThanOrEqual(SHIPPED_ENVIRONMENTS.length);
    expect(caches.length).toBeGreaterThanOrEqual(SHIPPED_ENVIRONMENTS.length);
    expect(buckets.length).toBeGreaterThanOrEqual(3 * SHIPPED_ENVIRONMENTS.length);
    expect(app.ofType("aws_s3_bucket_replication_configuration").length).toBeGreaterThan(0);
  });

  test("every database is encrypted with a customer key, private, deletion-protected and cannot be destroyed", () => {
    const offenders = databases
      .filter(
        ({ config: c }) =>
          c.storage_encrypted !== true || !c.kms_key_id || c.publicly_accessible !== false || c.deletion_protection !== true || c.lifecycle?.prevent_destroy !== true,
      )
      .map((r) => r.address);
    expect(offenders).toEqual([]);
  });

  test("every backup vault has a governance-mode Vault Lock (no changeable_for_days) in its own region", () => {
    const vaults = app.ofType("aws_backup_vault");
    expect(vaults.length).toBeGreaterThanOrEqual(SHIPPED_ENVIRONMENTS.length);
    const locks = app.ofType("aws_backup_vault_lock_configuration");
    const offenders = vaults
      .filter((v) => {
        const name = v.address.slice(v.address.indexOf("/") + 1);
        const lock = locks.find((l) => l.stack === v.stack && l.config.backup_vault_name === `\${${name}.name}`);
        return !lock || lock.config.changeable_for_days !== undefined || !(lock.config.min_retention_days >= 1) || lock.config.provider !== v.config.provider;
      })
      .map((v) => v.address);
    expect(offenders).toEqual([]);
  });

  test("every primary database is backed up and leaves a final snapshot and its backups behind", () => {
    const offenders = databases
      .filter((r) => !r.config.replicate_source_db)
      .filter(({ config: c }) => !(c.backup_retention_period >= 1) || c.skip_final_snapshot !== false || !c.final_snapshot_identifier || c.delete_automated_backups !== false)
      .map((r) => r.address);
    expect(offenders).toEqual([]);
  });

  test("every database: AWS-managed master password, IAM authentication, TLS forced, monitoring, log exports", () => {
    const offenders = databases
      .filter(({ stack, config: c }) => {
        const group = app.ofType("aws_db_parameter_group").find((g) => g.stack === stack && refName(c.parameter_group_name, "aws_db_parameter_group") === g.name);
        const forcesTls = group?.config.parameter?.some((p: any) => p.name === "rds.force_ssl" && p.value === "1");
        const primaryOk = c.replicate_source_db || (c.manage_master_user_password === true && c.password === undefined);
        return !primaryOk || c.iam_database_authentication_enabled !== true || !forcesTls || !(c.monitoring_interval > 0) || c.performance_insights_enabled !== true || !c.enabled_cloudwatch_logs_exports?.includes("postgresql");
      })
      .map((r) => r.address);
    expect(offenders).toEqual([]);
  });

  test("every cache is encrypted at rest and in transit, fails over across AZs, keeps snapshots, has no auth token", () => {
    const offenders = caches
      .filter(
        ({ config: c }) =>
          String(c.at_rest_encryption_enabled) !== "true" ||
          !c.kms_key_id ||
          c.transit_encryption_enabled !== true ||
          c.transit_encryption_mode !== "required" ||
          c.automatic_failover_enabled !== true ||
          c.multi_az_enabled !== true ||
          !(c.num_cache_clusters >= 2) ||
          !(c.snapshot_retention_limit >= 1) ||
          c.auth_token !== undefined ||
          !(c.user_group_ids?.length > 0) ||
          c.lifecycle?.prevent_destroy !== true,
      )
      .map((r) => r.address);
    expect(offenders).toEqual([]);
  });

  test("every bucket: versioned, encrypted, public access blocked, TLS only, lifecycle hygiene, cannot be destroyed", () => {
    const offenders = buckets.filter((b) => {
      const one = (type: string) => partsOf(b.stack, type, b.name)[0]?.config;
      const versioning = one("aws_s3_bucket_versioning");
      const sse = one("aws_s3_bucket_server_side_encryption_configuration")?.rule?.[0];
      const pab = one("aws_s3_bucket_public_access_block");
      const lifecycle = one("aws_s3_bucket_lifecycle_configuration");
      const policy = bucketPolicy(b);
      const byDefault = sse?.apply_server_side_encryption_by_default;
      // SSE-S3 only where AWS log writers require it (ALB access logs, S3 server access logs).
      const encrypted =
        (byDefault?.sse_algorithm === "aws:kms" && byDefault.kms_master_key_id && sse.bucket_key_enabled === true) ||
        (byDefault?.sse_algorithm === "AES256" && (grantsTo(policy, "logdelivery.elasticloadbalancing.amazonaws.com") || grantsTo(policy, "logging.s3.amazonaws.com")));
      const tlsOnly = policy?.Statement?.some((s: any) => s.Effect === "Deny" && s.Condition?.Bool?.["aws:SecureTransport"] === "false");
      const hygiene = lifecycle?.rule?.some((r: any) => r.abort_incomplete_multipart_upload?.length && r.noncurrent_version_expiration?.length);
      return (
        versioning?.versioning_configuration?.status !== "Enabled" ||
        !encrypted ||
        !(pab?.block_public_acls && pab.block_public_policy && pab.ignore_public_acls && pab.restrict_public_buckets) ||
        !tlsOnly ||
        !hygiene ||
        b.config.lifecycle?.prevent_destroy !== true
      );
    });
    expect(offenders.map((b) => b.address)).toEqual([]);
  });

  test("an SSE-S3 bucket of the data layer records why it is exempt from the SSE-KMS rule", () => {
    const sseS3 = buckets.filter(
      (b) => b.stack.endsWith("-data") && partsOf(b.stack, "aws_s3_bucket_server_side_encryption_configuration", b.name)[0]?.config.rule?.[0]?.apply_server_side_encryption_by_default?.sse_algorithm === "AES256",
    );
    expect(sseS3.length).toBe(SHIPPED_ENVIRONMENTS.length);
    const offenders = sseS3.filter((b) => !b.config["//"]?.suppressions?.some((s: any) => s.rule === "s3-bucket-encryption" && s.reason.length >= 10)).map((b) => b.address);
    expect(offenders).toEqual([]);
  });

  test("data buckets of the primary region log their access, except the log bucket itself", () => {
    const offenders = buckets
      .filter((b) => b.stack.endsWith("-data") && !b.config.provider && !grantsTo(bucketPolicy(b), "logging.s3.amazonaws.com"))
      .filter((b) => partsOf(b.stack, "aws_s3_bucket_logging", b.name).length !== 1)
      .map((b) => b.address);
    expect(offenders).toEqual([]);
  });

  test("ACLs stay disabled except on a bucket CloudFront's legacy logging writes to", () => {
    // A distribution's logging_config names the bucket through the data layer's output `..._<bucket id>bucket`.
    const loggedTo = app.ofType("aws_cloudfront_distribution").map((d) => String(d.config.logging_config?.bucket ?? ""));
    const offenders = buckets
      .filter((b) => partsOf(b.stack, "aws_s3_bucket_ownership_controls", b.name)[0]?.config.rule?.object_ownership !== "BucketOwnerEnforced")
      .filter((b) => !loggedTo.some((target) => target.includes(`${b.name}bucket}`) && target.includes(`-${b.stack}.`)))
      .map((b) => b.address);
    expect(offenders).toEqual([]);
    // Legacy logging needs no bucket policy grant: CloudFront's log-delivery v2 principal is not granted anywhere.
    expect(buckets.filter((b) => grantsTo(bucketPolicy(b), "delivery.logs.amazonaws.com")).map((b) => b.address)).toEqual([]);
  });

  test("every replicated bucket replicates to a versioned, KMS-encrypted bucket in the DR region", () => {
    const offenders: string[] = [];
    for (const r of app.ofType("aws_s3_bucket_replication_configuration")) {
      const json = app.stacks.get(r.stack)!;
      const primaryRegion = json.provider?.aws?.find((p: any) => !p.alias)?.region;
      for (const rule of r.config.rule ?? []) {
        const target = refName(rule.destination?.bucket, "aws_s3_bucket");
        const bucket = buckets.find((b) => b.stack === r.stack && b.name === target);
        const alias = bucket?.config.provider?.replace(/^aws\./, "");
        const region = json.provider?.aws?.find((p: any) => p.alias === alias)?.region;
        const versioned = target && partsOf(r.stack, "aws_s3_bucket_versioning", target)[0]?.config.versioning_configuration?.status === "Enabled";
        const sse = target && partsOf(r.stack, "aws_s3_bucket_server_side_encryption_configuration", target)[0]?.config.rule?.[0]?.apply_server_side_encryption_by_default;
        if (!bucket || !alias || !region || region === primaryRegion || !versioned || sse?.sse_algorithm !== "aws:kms" || !rule.destination?.encryption_configuration?.replica_kms_key_id) {
          offenders.push(`${r.address} (rule ${rule.id})`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  test("prod: Multi-AZ primary with replicas, a 3-node cache over 3 AZs, uploads and backups replicated", () => {
    const prod = (type: string) => app.ofType(type).filter((r) => r.stack === "prod-data");
    const dbs = prod("aws_db_instance");
    const primary = dbs.find((d) => !d.config.replicate_source_db);
    expect(primary?.config.multi_az).toBe(true);
    expect(dbs.filter((d) => d.config.replicate_source_db).length).toBeGreaterThanOrEqual(1);
    const cache = prod("aws_elasticache_replication_group")[0];
    expect(cache?.config.num_cache_clusters).toBe(3);
    expect(new Set(cache?.config.preferred_cache_cluster_azs).size).toBe(3);
    const replicated = prod("aws_s3_bucket_replication_configuration").map((r) => buckets.find((b) => b.stack === "prod-data" && b.name === refName(r.config.bucket, "aws_s3_bucket"))?.config.bucket);
    expect(replicated.sort()).toEqual(["upskill-prod-backups-333333333333", "upskill-prod-uploads-333333333333"]);
  });

  test("every log group of the data layer has retention and a KMS key", () => {
    const offenders = app
      .ofType("aws_cloudwatch_log_group")
      .filter((g) => g.stack.endsWith("-data") && (!g.config.retention_in_days || !g.config.kms_key_id))
      .map((g) => g.address);
    expect(offenders).toEqual([]);
  });

  test("no password-like key holds a literal value in any synthesized stack", () => {
    const offenders = [...app.stacks].flatMap(([id, json]) => secretLiterals(id, json));
    expect(offenders).toEqual([]);
  });

  test("the secret scan finds a planted literal", () => {
    expect(secretLiterals("probe", { resource: { x: { y: { master_password: "hunter2", auth_token: "${var.t}", passwords: ["p4ss"], token: "" } } } })).toEqual([
      "probe.resource.x.y.master_password",
      "probe.resource.x.y.passwords",
    ]);
  });
});
