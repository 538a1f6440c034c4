import { TerraformOutput, Testing } from "cdktf";
import { ElasticacheParameterGroup } from "@cdktf/provider-aws/lib/elasticache-parameter-group";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { ElasticacheSubnetGroup } from "@cdktf/provider-aws/lib/elasticache-subnet-group";
import { ElasticacheUserGroup } from "@cdktf/provider-aws/lib/elasticache-user-group";
import { Cache, type CacheProps } from "../../modules/cache/cache";

const BASE: CacheProps = {
  replicationGroupId: "upskill-test-cache",
  engine: "redis",
  engineVersion: "7.1",
  nodeType: "cache.r7g.large",
  nodeCount: 3,
  availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
  subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
  securityGroupId: "sg-cache",
  kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/cache",
  logsKmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/logs",
  logRetentionDays: 90,
  snapshotRetentionDays: 14,
  snapshotWindow: "03:00-04:00",
  maintenanceWindow: "sun:05:00-sun:06:00",
};

function build(props: Partial<CacheProps> = {}) {
  const synth = Testing.synthScope((scope) => {
    const cache = new Cache(scope, "cache", { ...BASE, ...props });
    new TerraformOutput(scope, "members", { value: cache.memberClusterIds });
    new TerraformOutput(scope, "primary", { value: cache.primaryEndpoint });
    new TerraformOutput(scope, "reader", { value: cache.readerEndpoint });
  });
  const json = JSON.parse(synth);
  const group = Object.values<any>(json.resource.aws_elasticache_replication_group)[0];
  return { synth, json, group };
}

describe("Cache", () => {
  test("defaults: failover across AZs, encrypted at rest and in transit, snapshots, protected", () => {
    const { synth } = build();
    expect(synth).toHaveResourceWithProperties(ElasticacheReplicationGroup, {
      replication_group_id: "upskill-test-cache",
      engine: "redis",
      engine_version: "7.1",
      node_type: "cache.r7g.large",
      num_cache_clusters: 3,
      preferred_cache_cluster_azs: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
      automatic_failover_enabled: true,
      multi_az_enabled: true,
      at_rest_encryption_enabled: "true",
      kms_key_id: BASE.kmsKeyArn,
      transit_encryption_enabled: true,
      transit_encryption_mode: "required",
      security_group_ids: ["sg-cache"],
      snapshot_retention_limit: 14,
      snapshot_window: "03:00-04:00",
      maintenance_window: "sun:05:00-sun:06:00",
      final_snapshot_identifier: "upskill-test-cache-final",
      auto_minor_version_upgrade: "true",
      port: 6379,
      lifecycle: { prevent_destroy: true },
    });
    expect(synth).toHaveResourceWithProperties(ElasticacheSubnetGroup, { name: "upskill-test-cache", subnet_ids: ["subnet-a", "subnet-b", "subnet-c"] });
  });

  test("no password: an IAM-authenticated app user and a disabled default user in the group", () => {
    const { json, group, synth } = build();
    expect(group.auth_token).toBeUndefined();
    expect(group.user_group_ids).toEqual([expect.stringContaining("aws_elasticache_user_group")]);
    const users = Object.values<any>(json.resource.aws_elasticache_user);
    const app = users.find((u) => u.user_name !== "default");
    const dflt = users.find((u) => u.user_name === "default");
    expect(app).toMatchObject({ user_id: "upskill-test-cache-app", user_name: "upskill-test-cache-app", authentication_mode: { type: "iam" } });
    expect(app.access_string).toMatch(/^on /);
    expect(dflt).toMatchObject({ user_id: "upskill-test-cache-default", authentication_mode: { type: "no-password-required" } });
    expect(dflt.access_string).toMatch(/^off /);
    for (const u of users) expect(u.passwords).toBeUndefined();
    expect(synth).toHaveResourceWithProperties(ElasticacheUserGroup, { user_group_id: "upskill-test-cache", engine: "redis" });
  });

  test("slow and engine logs go to encrypted log groups with retention", () => {
    const { json, group } = build();
    const logGroups = Object.values<any>(json.resource.aws_cloudwatch_log_group);
    expect(logGroups.map((g) => g.name).sort()).toEqual(["/aws/elasticache/upskill-test-cache/engine-log", "/aws/elasticache/upskill-test-cache/slow-log"]);
    for (const g of logGroups) expect(g).toMatchObject({ retention_in_days: 90, kms_key_id: BASE.logsKmsKeyArn });
    expect(group.log_delivery_configuration.map((c: any) => [c.log_type, c.destination_type])).toEqual([
      ["slow-log", "cloudwatch-logs"],
      ["engine-log", "cloudwatch-logs"],
    ]);
    expect(group.depends_on).toHaveLength(2);
  });

  test("Redis 7.1 uses the redis7 parameter group family", () => {
    const { synth, group } = build();
    expect(synth).toHaveResourceWithProperties(ElasticacheParameterGroup, { name: "upskill-test-cache-redis7", family: "redis7" });
    expect(group.parameter_group_name).toContain("aws_elasticache_parameter_group");
  });

  test("Valkey 8.1 and 9.0 use their own families", () => {
    const v8 = build({ engine: "valkey", engineVersion: "8.1" });
    expect(v8.group).toMatchObject({ engine: "valkey", engine_version: "8.1" });
    expect(v8.synth).toHaveResourceWithProperties(ElasticacheParameterGroup, { family: "valkey8" });
    const v9 = build({ engine: "valkey", engineVersion: "9.0" });
    expect(v9.synth).toHaveResourceWithProperties(ElasticacheParameterGroup, { family: "valkey9" });
  });

  test("two nodes over two AZs; more nodes than AZs wrap round", () => {
    expect(build({ nodeCount: 2, availabilityZones: ["eu-west-1a", "eu-west-1b"], subnetIds: ["s-a", "s-b"] }).group.preferred_cache_cluster_azs).toEqual(["eu-west-1a", "eu-west-1b"]);
    expect(build({ nodeCount: 5 }).group.preferred_cache_cluster_azs).toEqual(["eu-west-1a", "eu-west-1b", "eu-west-1c", "eu-west-1a", "eu-west-1b"]);
  });

  test("a notification topic when given, none by default", () => {
    expect(build().group.notification_topic_arn).toBeUndefined();
    expect(build({ notificationTopicArn: "arn:aws:sns:eu-west-1:111111111111:alerts" }).group.notification_topic_arn).toBe("arn:aws:sns:eu-west-1:111111111111:alerts");
  });

  test("extra engine parameters", () => {
    const { json } = build({ parameters: { "maxmemory-policy": "allkeys-lru" } });
    expect(Object.values<any>(json.resource.aws_elasticache_parameter_group)[0].parameter).toEqual([{ name: "maxmemory-policy", value: "allkeys-lru" }]);
  });

  test("outputs the endpoints and member clusters", () => {
    const { json } = build();
    expect(json.output.primary.value).toMatch(/\.primary_endpoint_address\}$/);
    expect(json.output.reader.value).toMatch(/\.reader_endpoint_address\}$/);
    expect(json.output.members.value).toMatch(/\.member_clusters\)\}$/);
  });

  test("refuses what ElastiCache would refuse, saying what to change", () => {
    expect(() => build({ nodeCount: 1 })).toThrow(/nodeCount must be 2-6/);
    expect(() => build({ nodeCount: 7 })).toThrow(/nodeCount must be 2-6/);
    expect(() => build({ engineVersion: "6.2" })).toThrow(/redis 6\.2 is not supported; use one of 7\.0, 7\.1/);
    expect(() => build({ engine: "valkey", engineVersion: "7.1" })).toThrow(/valkey 7\.1 is not supported/);
    expect(() => build({ replicationGroupId: "a-very-long-replication-group-id-over-forty" })).toThrow(/replicationGroupId/);
    expect(() => build({ snapshotRetentionDays: 0 })).toThrow(/snapshotRetentionDays must be 1-35/);
    expect(() => build({ availabilityZones: ["eu-west-1a"], subnetIds: ["s-a"], nodeCount: 2 })).toThrow(/at least 2 availability zones/);
  });
});
