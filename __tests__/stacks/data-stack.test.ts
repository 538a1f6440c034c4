import { TerraformOutput, Testing } from "cdktf";
import { DataStack, type DataNetworkInputs } from "../../stacks/data-stack";
import { parseSynth, resourcesOf, shippedEnvironment, SHIPPED_ENVIRONMENTS, testApp, type SynthJson } from "../support/fixtures";

function network(azCount: number): DataNetworkInputs {
  return {
    dataSubnetIds: Array.from({ length: azCount }, (_, i) => `subnet-data-${i}`),
    securityGroupIds: { database: "sg-database", cache: "sg-cache" },
  };
}

function synthData(envName: string): { json: SynthJson; stack: DataStack } {
  const environment = shippedEnvironment(envName);
  const stack = new DataStack(testApp(), { environment, network: network(environment.availabilityZones.length) });
  return { json: parseSynth(Testing.synth(stack)), stack };
}

const values = (json: SynthJson, type: string) => Object.values(resourcesOf(json, type));

describe.each(SHIPPED_ENVIRONMENTS)("DataStack (%s)", (envName) => {
  const env = shippedEnvironment(envName);
  const { json, stack } = synthData(envName);
  const instances = values(json, "aws_db_instance");
  const primary = instances.find((i) => !i.replicate_source_db)!;
  const replicas = instances.filter((i) => i.replicate_source_db);
  const cache = values(json, "aws_elasticache_replication_group")[0]!;

  test("staging and prod replicate the database's automated backups to the DR region with their own DR key; dev does not", () => {
    const replication = values(json, "aws_db_instance_automated_backups_replication");
    if (envName === "dev") {
      expect(replication).toEqual([]);
      return;
    }
    expect(env.data.postgres.drBackupRetentionDays).toBeDefined();
    expect(replication).toEqual([expect.objectContaining({ retention_period: env.data.postgres.drBackupRetentionDays, provider: "aws.dr" })]);
    const keys = Object.entries<any>(json.resource?.aws_kms_key ?? {});
    const [keyName, key] = keys.find(([name]) => name.includes("dr-database"))!;
    expect(key.provider).toBe("aws.dr");
    expect(replication[0].kms_key_id).toBe(`\${aws_kms_key.${keyName}.arn}`);
  });

  test("request metrics over the dumps' prefix of the backups bucket (the missed-dump alarm's input)", () => {
    const [metric] = values(json, "aws_s3_bucket_metric");
    expect(metric).toMatchObject({ name: "postgres-dumps", filter: { prefix: "postgres/" } });
    expect(metric.bucket).toMatch(/aws_s3_bucket\.buckets_backups_bucket_/);
  });

  test("is the <env>-data stack with the S3 backend", () => {
    expect(stack.node.id).toBe(`${envName}-data`);
    expect(json.terraform?.backend?.s3?.key).toBe(`${envName}/data.tfstate`);
  });

  test("the primary follows the config, in the network's data subnets and database security group", () => {
    expect(primary).toMatchObject({
      identifier: `upskill-${envName}-postgres`,
      engine_version: env.data.postgres.engineVersion,
      instance_class: env.data.postgres.instanceClass,
      multi_az: env.data.postgres.multiAz,
      backup_retention_period: env.data.postgres.backupRetentionDays,
      vpc_security_group_ids: ["sg-database"],
      storage_encrypted: true,
      deletion_protection: true,
    });
    const subnetGroup = values(json, "aws_db_subnet_group")[0]!;
    expect(subnetGroup.subnet_ids).toEqual(network(env.availabilityZones.length).dataSubnetIds);
    expect(primary.kms_key_id).toMatch(/^\$\{aws_kms_key\.keys_database_key_/);
  });

  test("read replicas as configured, none in a single-AZ primary's zone", () => {
    expect(replicas).toHaveLength(env.data.postgres.readReplicas);
    if (!env.data.postgres.multiAz) for (const r of replicas) expect(r.availability_zone).not.toBe(primary.availability_zone);
    expect(stack.postgres.readerEndpoints).toHaveLength(env.data.postgres.readReplicas);
  });

  test("the cache follows the config, spread over the AZs, in the cache security group", () => {
    expect(cache).toMatchObject({
      replication_group_id: `upskill-${envName}-cache`,
      engine: env.data.cache.engine,
      engine_version: env.data.cache.engineVersion,
      num_cache_clusters: env.data.cache.nodeCount,
      security_group_ids: ["sg-cache"],
      automatic_failover_enabled: true,
      multi_az_enabled: true,
    });
    expect(new Set(cache.preferred_cache_cluster_azs).size).toBe(Math.min(env.data.cache.nodeCount, env.availabilityZones.length));
  });

  test("log groups are encrypted with the logs key and keep the environment's retention", () => {
    for (const g of values(json, "aws_cloudwatch_log_group")) {
      expect(g.retention_in_days).toBe(env.logRetentionDays);
      expect(g.kms_key_id).toMatch(/^\$\{aws_kms_key\.keys_logs_key_/);
    }
  });

  test("buckets, with replicas where config asks", () => {
    const buckets = values(json, "aws_s3_bucket").map((b) => b.bucket);
    const r = env.data.buckets.replication;
    const replicas = (r.uploads ? 1 : 0) + (r.backups ? 1 : 0);
    // uploads, backups, logs; the replicas and, with any, their access-log bucket in the DR region
    expect(buckets).toHaveLength(3 + replicas + (replicas ? 1 : 0));
    expect(buckets).toContain(`upskill-${envName}-logs-${env.accountId}`);
    expect(values(json, "aws_s3_bucket_replication_configuration")).toHaveLength((r.uploads ? 1 : 0) + (r.backups ? 1 : 0));
  });

  test("a DR provider for the replicas and the DR key", () => {
    const aliases = (json.provider?.aws ?? []).map((p) => p.alias ?? "default");
    expect(aliases).toEqual(["default", "dr"]);
    expect(json.provider!.aws!.find((p) => p.alias === "dr")!.region).toBe(env.drRegion);
  });

  test("reservations derived from config: shipped staging and prod look up the offerings of what runs, unconfirmed, so nothing is bought", () => {
    expect(values(json, "aws_rds_reserved_instance")).toEqual([]);
    expect(values(json, "aws_elasticache_reserved_cache_node")).toEqual([]);
    const rdsOfferings = Object.values<any>((json as any).data?.aws_rds_reserved_instance_offering ?? {});
    const cacheOfferings = Object.values<any>((json as any).data?.aws_elasticache_reserved_cache_node_offering ?? {});
    if (envName === "dev") {
      expect([rdsOfferings, cacheOfferings]).toEqual([[], []]);
      return;
    }
    const pg = env.data.postgres;
    expect(rdsOfferings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ db_instance_class: pg.instanceClass, multi_az: pg.multiAz, product_description: "postgresql" }),
        expect.objectContaining({ db_instance_class: pg.replicaInstanceClass ?? pg.instanceClass, multi_az: false }),
      ]),
    );
    expect(cacheOfferings).toEqual([expect.objectContaining({ cache_node_type: env.data.cache.nodeType, product_description: env.data.cache.engine })]);
  });
});

describe("DataStack outputs", () => {
  test("expose the contract of stacks/README.md", () => {
    const environment = shippedEnvironment("prod");
    const app = testApp();
    const stack = new DataStack(app, { environment, network: network(3) });
    new TerraformOutput(stack, "probe", {
      value: {
        logsKeyArn: stack.logsKeyArn,
        writer: stack.postgres.writerEndpoint,
        secret: stack.postgres.masterSecretArn,
        cacheUser: stack.cache.appUserId,
        uploads: stack.buckets.uploads.name,
        logs: stack.buckets.logs.domainName,
      },
    });
    const probe = parseSynth(Testing.synth(stack)).output!.probe.value;
    expect(probe.logsKeyArn).toMatch(/aws_kms_key\.keys_logs_key_.*\.arn/);
    expect(probe.writer).toMatch(/aws_db_instance\.postgres_primary_.*\.address/);
    expect(probe.secret).toMatch(/master_user_secret\[0\]\.secret_arn/);
    expect(probe.cacheUser).toMatch(/aws_elasticache_user\.cache_users_app-user_.*\.user_id/);
    expect(probe.uploads).toMatch(/aws_s3_bucket\.buckets_uploads_bucket_.*\.bucket/);
    expect(probe.logs).toMatch(/bucket_regional_domain_name/);
    expect(stack.postgres.port).toBe(5432);
    expect(stack.cache.port).toBe(6379);
    expect(stack.logPrefixes).toEqual({ alb: "alb", cloudFront: "cloudfront", s3: "s3" });
    expect(stack.postgres.replicaIds).toHaveLength(2);
  });

  test("buys confirmed reservations from config: the replicas' offering, all of them by default", () => {
    const base = shippedEnvironment("prod");
    const environment = {
      ...base,
      data: { ...base.data, reservations: { rds: [{ tier: "replicas" as const, termYears: 1 as const, payment: "No Upfront" as const, confirm: true }], elasticache: [] } },
    };
    const json = parseSynth(Testing.synth(new DataStack(testApp(), { environment, network: network(3) })));
    expect(values(json, "aws_rds_reserved_instance")).toEqual([
      expect.objectContaining({ offering_id: expect.stringMatching(/^\$\{data\.aws_rds_reserved_instance_offering\.reservations_rds-postgres-replicas-offering_[0-9A-F]+\.offering_id\}$/), instance_count: base.data.postgres.readReplicas, reservation_id: "upskill-prod-postgres-replicas" }),
    ]);
  });
});
