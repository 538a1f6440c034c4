import { Testing } from "cdktf";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { BootstrapStack, SAVED_PLAN_EXPIRATION_DAYS } from "../../stacks/bootstrap-stack";
import type { EnvironmentConfig } from "../../config/schema";
import { parseSynth, resourcesOf, shippedEnvironment, SHIPPED_ENVIRONMENTS, testApp, type SynthJson } from "../support/fixtures";

const EXPECTED = {
  dev: { account: "111111111111", branches: ["main"], environments: ["dev"] },
  staging: { account: "222222222222", branches: ["main"], environments: ["staging"] },
  prod: { account: "333333333333", branches: ["main"], environments: ["prod"] },
} as const;

function synthBootstrap(environment: EnvironmentConfig): { synth: string; json: SynthJson; stack: BootstrapStack } {
  const stack = new BootstrapStack(testApp(), { environment });
  const synth = Testing.synth(stack);
  return { synth, json: parseSynth(synth), stack };
}

function single(json: SynthJson, type: string): [string, Record<string, any>] {
  const entries = Object.entries(resourcesOf(json, type));
  expect(entries).toHaveLength(1);
  return entries[0]!;
}

/** The one resource of `type` that configures the bucket `ref` (the state bucket; its log bucket has its own). */
function statePart(json: SynthJson, ref: string, type: string): [string, Record<string, any>] {
  const entries = Object.entries(resourcesOf(json, type)).filter(([, v]) => v.bucket === ref);
  expect(entries).toHaveLength(1);
  return entries[0]!;
}

describe.each(SHIPPED_ENVIRONMENTS)("BootstrapStack (%s)", (name) => {
  const env = shippedEnvironment(name);
  const expected = EXPECTED[name];
  const { synth, json, stack } = synthBootstrap(env);
  const [bucketId, bucket] = Object.entries(resourcesOf(json, "aws_s3_bucket")).find(([, b]) => b.bucket === env.names.stateBucket)!;
  const ref = `\${aws_s3_bucket.${bucketId}.id}`;

  test("the state bucket's server access logs go to an SSE-S3 bucket that only S3 log delivery writes", () => {
    const logs = Object.entries(resourcesOf(json, "aws_s3_bucket")).filter(([id]) => id !== bucketId);
    expect(logs.map(([, b]) => b.bucket)).toEqual([`upskill-${name}-tfstate-logs-${expected.account}`]);
    const [logsId] = logs[0];
    expect(Object.values(resourcesOf(json, "aws_s3_bucket_logging"))).toEqual([
      expect.objectContaining({ bucket: ref, target_bucket: `\${aws_s3_bucket.${logsId}.bucket}`, target_prefix: `s3/${env.names.stateBucket}/` }),
    ]);
    const sse = Object.values(resourcesOf(json, "aws_s3_bucket_server_side_encryption_configuration")).find((c) => c.bucket === `\${aws_s3_bucket.${logsId}.id}`);
    expect(sse?.rule[0].apply_server_side_encryption_by_default).toEqual({ sse_algorithm: "AES256" });
    expect(synth).toContain("logging.s3.amazonaws.com");
  });

  test("keeps its own state locally", () => {
    expect(stack.node.id).toBe(`${name}-bootstrap`);
    expect(json.terraform?.backend).toEqual({ local: { path: `terraform.${name}-bootstrap.tfstate` } });
  });

  test("the state bucket has the configured name and cannot be destroyed", () => {
    expect(bucket).toMatchObject({ bucket: `upskill-${name}-tfstate-${expected.account}`, force_destroy: false, lifecycle: { prevent_destroy: true } });
    expect(env.names.stateBucket).toBe(bucket.bucket);
  });

  test("the state bucket is versioned, KMS-encrypted with the rotating state key, private and TLS-only", () => {
    const [keyId] = single(json, "aws_kms_key");
    expect(synth).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
    expect(statePart(json, ref, "aws_s3_bucket_versioning")[1]).toMatchObject({ bucket: ref, versioning_configuration: { status: "Enabled" } });
    expect(statePart(json, ref, "aws_s3_bucket_server_side_encryption_configuration")[1]).toMatchObject({
      bucket: ref,
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: `\${aws_kms_key.${keyId}.arn}` }, bucket_key_enabled: true }],
    });
    expect(statePart(json, ref, "aws_s3_bucket_public_access_block")[1]).toMatchObject({
      bucket: ref,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(statePart(json, ref, "aws_s3_bucket_ownership_controls")[1]).toMatchObject({ bucket: ref, rule: { object_ownership: "BucketOwnerEnforced" } });
    const policy = JSON.parse(statePart(json, ref, "aws_s3_bucket_policy")[1].policy);
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({ Effect: "Deny", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
    );
    const [, lifecycle] = statePart(json, ref, "aws_s3_bucket_lifecycle_configuration");
    expect(lifecycle.rule[0].noncurrent_version_expiration).toEqual([{ noncurrent_days: env.state.noncurrentVersionDays }]);
  });

  test("the lock table: LockID string key, on-demand, PITR, KMS, deletion protection, prevent_destroy", () => {
    const [keyId] = single(json, "aws_kms_key");
    expect(synth).toHaveResourceWithProperties(DynamodbTable, {
      name: `upskill-${name}-tflock`,
      hash_key: "LockID",
      attribute: [{ name: "LockID", type: "S" }],
      billing_mode: "PAY_PER_REQUEST",
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true, kms_key_arn: `\${aws_kms_key.${keyId}.arn}` },
      deletion_protection_enabled: true,
      lifecycle: { prevent_destroy: true },
    });
    expect(env.names.lockTable).toBe(`upskill-${name}-tflock`);
  });

  test("a GitHub OIDC provider and the CI roles trust only the configured repository, branches and environments", () => {
    expect(single(json, "aws_iam_openid_connect_provider")[1]).toMatchObject({
      url: "https://token.actions.githubusercontent.com",
      client_id_list: ["sts.amazonaws.com"],
    });
    const roles = Object.values(resourcesOf(json, "aws_iam_role"));
    const subjects = (roleName: string) => {
      const role = roles.find((r) => r.name === roleName)!;
      const [statement] = JSON.parse(role.assume_role_policy).Statement;
      expect(statement.Condition.StringEquals).toEqual({ "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" });
      return statement.Condition.StringLike["token.actions.githubusercontent.com:sub"];
    };
    const repo = "upskill-learning/platform";
    expect(subjects(`upskill-${name}-ci-plan`)).toEqual([`repo:${repo}:pull_request`, ...expected.branches.map((b) => `repo:${repo}:ref:refs/heads/${b}`)]);
    // The deploy role trusts GitHub environments only: a job that names none gets no deploy credentials.
    expect(subjects(`upskill-${name}-ci-deploy`)).toEqual(expected.environments.map((e) => `repo:${repo}:environment:${e}`));
  });

  test("saved plans of the deploy workflow expire from the state bucket; the state files never do", () => {
    const [, lifecycle] = statePart(json, ref, "aws_s3_bucket_lifecycle_configuration");
    const rules = lifecycle.rule as any[];
    const plans = rules.filter((r) => r.filter?.[0]?.prefix === "plans/" || r.filter?.prefix === "plans/");
    expect(plans).toEqual([expect.objectContaining({ id: "expire-saved-plans", status: "Enabled", expiration: [expect.objectContaining({ days: SAVED_PLAN_EXPIRATION_DAYS })] })]);
    // No other rule expires current versions by age: the state files are kept.
    expect(rules.filter((r) => r !== plans[0]).flatMap((r) => r.expiration ?? []).filter((e: any) => e.days !== undefined)).toEqual([]);
  });

  test("the plan role's state access names this environment's bucket, table and key", () => {
    const inline = Object.values(resourcesOf(json, "aws_iam_role_policy")).find((p) => p.name === "terraform-state-read-and-lock")!;
    const statements = Object.fromEntries(JSON.parse(inline.policy).Statement.map((s: any) => [s.Sid, s]));
    expect(statements.LockFiles.Resource).toBe(`\${aws_s3_bucket.${bucketId}.arn}/*.tflock`);
    expect(statements.LockItemsOfTheStatePaths.Resource).toMatch(/^\$\{aws_dynamodb_table\.[^.]+\.arn\}$/);
    expect(statements.StateKeyThroughS3.Resource).toMatch(/^\$\{aws_kms_key\.[^.]+\.arn\}$/);
  });

  test("creates the permissions boundary the other layers' roles carry, named as they expect it", () => {
    const boundary = Object.values(resourcesOf(json, "aws_iam_policy")).find((p) => p.name === `upskill-${name}-workload-boundary`);
    expect(boundary).toBeDefined();
  });

  test("outputs the CI role ARNs for the workflows", () => {
    expect(Object.keys(json.output ?? {})).toEqual(expect.arrayContaining(["plan_role_arn", "deploy_role_arn", "state_bucket", "lock_table"]));
    expect(json.output!.plan_role_arn.value).toMatch(/^\$\{aws_iam_role\.[^.]+\.arn\}$/);
    expect(json.output!.deploy_role_arn.value).toMatch(/^\$\{aws_iam_role\.[^.]+\.arn\}$/);
  });

  test("exposes the typed fields of the layer", () => {
    for (const field of ["stateBucketName", "stateBucketArn", "lockTableName", "lockTableArn", "stateKeyArn", "planRoleArn", "deployRoleArn"] as const) {
      expect(typeof stack[field]).toBe("string");
    }
  });

  test("creates the CI runners' GitHub connection (handshake completed by a person) under the name the cluster layer looks up, and outputs its ARN", () => {
    const [logicalId, connection] = single(json, "aws_codeconnections_connection");
    expect(connection).toMatchObject({ name: `upskill-${name}-gh`, provider_type: "GitHub" });
    expect(json.output!.github_connection_arn.value).toBe(`\${aws_codeconnections_connection.${logicalId}.arn}`);
    expect(typeof stack.githubConnectionArn).toBe("string");
  });

  test("the account guard names the environment's account", () => {
    expect(json.provider?.aws?.[0]?.allowed_account_ids).toEqual([expected.account]);
  });
});

test("GitHub-hosted runners need no connection", () => {
  const env = shippedEnvironment("dev");
  const { json, stack } = synthBootstrap({ ...env, cicd: { ...env.cicd, runner: { type: "github-hosted" } } });
  expect(resourcesOf(json, "aws_codeconnections_connection")).toEqual({});
  expect(json.output?.github_connection_arn).toBeUndefined();
  expect(stack.githubConnectionArn).toBeUndefined();
});

test("an environment sharing an account reuses the existing OIDC provider", () => {
  const env = shippedEnvironment("dev");
  const existing = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com";
  const { json } = synthBootstrap({ ...env, cicd: { ...env.cicd, oidcProviderArn: existing } });
  expect(resourcesOf(json, "aws_iam_openid_connect_provider")).toEqual({});
  for (const role of Object.values(resourcesOf(json, "aws_iam_role"))) {
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({ Federated: existing });
  }
});
