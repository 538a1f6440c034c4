import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput, Testing } from "cdktf";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Postgres, type PostgresProps } from "../../modules/postgres/postgres";
import { placeReplicas } from "../../modules/postgres/replica-placement";

const AZS = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
const BASE: PostgresProps = {
  identifier: "upskill-test-postgres",
  accountId: "111111111111",
  engineVersion: "17",
  instanceClass: "db.r7g.large",
  allocatedStorageGb: 100,
  maxAllocatedStorageGb: 1000,
  multiAz: true,
  readReplicas: 2,
  availabilityZones: AZS,
  subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
  securityGroupId: "sg-db",
  kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/db",
  logsKmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/logs",
  logRetentionDays: 365,
  backupRetentionDays: 30,
  backupWindow: "02:00-03:00",
  maintenanceWindow: "sun:04:00-sun:05:00",
  databaseName: "upskill",
};

function build(props: Partial<PostgresProps> = {}) {
  let pg!: Postgres;
  const out = Testing.synthScope((scope) => {
    pg = new Postgres(scope, "postgres", { ...BASE, ...props });
    new TerraformOutput(scope, "secret", { value: pg.masterSecretArn });
  });
  return { synth: out, json: JSON.parse(out), pg };
}

const instances = (json: any) => json.resource.aws_db_instance as Record<string, any>;
const primaryOf = (json: any) => Object.values<any>(instances(json)).find((i) => !i.replicate_source_db);
const replicasOf = (json: any) => Object.values<any>(instances(json)).filter((i) => i.replicate_source_db);

describe("Postgres", () => {
  test("drBackups: the primary's automated backups replicated to the DR region, encrypted with the DR key, kept as configured", () => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        const dr = new AwsProvider(scope, "aws_dr", { region: "eu-central-1", alias: "dr" });
        new Postgres(scope, "postgres", { ...BASE, drBackups: { provider: dr, kmsKeyArn: "arn:aws:kms:eu-central-1:111111111111:key/dr-db", retentionDays: 14 } });
      }),
    );
    const [primaryName] = Object.entries<any>(json.resource.aws_db_instance).find(([, i]) => !i.replicate_source_db)!;
    expect(Object.values<any>(json.resource.aws_db_instance_automated_backups_replication)).toEqual([
      { source_db_instance_arn: `\${aws_db_instance.${primaryName}.arn}`, kms_key_id: "arn:aws:kms:eu-central-1:111111111111:key/dr-db", retention_period: 14, provider: "aws.dr" },
    ]);
    expect(build().json.resource.aws_db_instance_automated_backups_replication).toBeUndefined();
    expect(() =>
      Testing.synthScope((scope) => {
        const dr = new AwsProvider(scope, "aws_dr", { region: "eu-central-1", alias: "dr" });
        new Postgres(scope, "postgres", { ...BASE, drBackups: { provider: dr, kmsKeyArn: "k", retentionDays: 36 } });
      }),
    ).toThrow(/drBackups.retentionDays must be 1-35/);
  });

  test("the primary: encrypted gp3 with autoscaling, private, protected, backed up, final snapshot", () => {
    const { synth } = build();
    expect(synth).toHaveResourceWithProperties(DbInstance, {
      identifier: "upskill-test-postgres",
      engine: "postgres",
      engine_version: "17",
      auto_minor_version_upgrade: true,
      instance_class: "db.r7g.large",
      storage_type: "gp3",
      allocated_storage: 100,
      max_allocated_storage: 1000,
      storage_encrypted: true,
      kms_key_id: BASE.kmsKeyArn,
      publicly_accessible: false,
      deletion_protection: true,
      backup_retention_period: 30,
      backup_window: "02:00-03:00",
      maintenance_window: "sun:04:00-sun:05:00",
      copy_tags_to_snapshot: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: "upskill-test-postgres-final",
      delete_automated_backups: false,
      vpc_security_group_ids: ["sg-db"],
      lifecycle: { prevent_destroy: true },
    });
  });

  test("the master password is managed by RDS in Secrets Manager, never given", () => {
    const { json } = build();
    const primary = primaryOf(json);
    expect(primary.manage_master_user_password).toBe(true);
    expect(primary.master_user_secret_kms_key_id).toBe(BASE.kmsKeyArn);
    expect(primary.password).toBeUndefined();
    expect(primary.iam_database_authentication_enabled).toBe(true);
    expect(json.output.secret.value).toMatch(/^\$\{aws_db_instance\.postgres_primary_[A-Z0-9]+\.master_user_secret\[0\]\.secret_arn\}$/);
  });

  test("the parameter group forces TLS and logs slow statements and connections", () => {
    const { synth, json } = build({ logMinDurationStatementMs: 500 });
    expect(synth).toHaveResourceWithProperties(DbParameterGroup, {
      name: "upskill-test-postgres-pg17",
      family: "postgres17",
      lifecycle: { create_before_destroy: true },
    });
    const params = Object.values<any>(json.resource.aws_db_parameter_group)[0].parameter;
    expect(params).toEqual(
      expect.arrayContaining([
        { name: "rds.force_ssl", value: "1" },
        { name: "log_min_duration_statement", value: "500" },
        { name: "log_connections", value: "1" },
        { name: "log_disconnections", value: "1" },
      ]),
    );
    for (const i of Object.values<any>(instances(json))) expect(i.parameter_group_name).toContain("aws_db_parameter_group");
  });

  test("PostgreSQL 18 uses its own family and the list form of log_connections", () => {
    const { json } = build({ engineVersion: "18" });
    const group = Object.values<any>(json.resource.aws_db_parameter_group)[0];
    expect(group.family).toBe("postgres18");
    expect(group.parameter).toContainEqual({ name: "log_connections", value: "receipt,authentication,authorization" });
    expect(primaryOf(json).engine_version).toBe("18");
  });

  test("PostgreSQL 16 is accepted too", () => {
    const { json } = build({ engineVersion: "16" });
    expect(Object.values<any>(json.resource.aws_db_parameter_group)[0].family).toBe("postgres16");
  });

  test("a subnet group over the data subnets of every AZ", () => {
    const { synth } = build();
    expect(synth).toHaveResourceWithProperties(DbSubnetGroup, { name: "upskill-test-postgres", subnet_ids: ["subnet-a", "subnet-b", "subnet-c"] });
  });

  test("enhanced monitoring with its own role, Performance Insights encrypted with the key", () => {
    const { synth, json } = build({ monitoringIntervalSeconds: 15, performanceInsightsRetentionDays: 31 });
    expect(synth).toHaveResourceWithProperties(IamRolePolicyAttachment, {
      policy_arn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
    });
    const role = Object.values<any>(json.resource.aws_iam_role)[0];
    expect(JSON.parse(role.assume_role_policy).Statement[0]).toMatchObject({
      Principal: { Service: "monitoring.rds.amazonaws.com" },
      Condition: { StringEquals: { "aws:SourceAccount": "111111111111" } },
    });
    for (const i of Object.values<any>(instances(json))) {
      expect(i.monitoring_interval).toBe(15);
      expect(i.monitoring_role_arn).toContain("aws_iam_role");
      expect(i.performance_insights_enabled).toBe(true);
      expect(i.performance_insights_kms_key_id).toBe(BASE.kmsKeyArn);
      expect(i.performance_insights_retention_period).toBe(31);
    }
  });

  test("log exports go to encrypted log groups with retention that exist first", () => {
    const { json } = build({ readReplicas: 1 });
    const groups = Object.entries<any>(json.resource.aws_cloudwatch_log_group);
    expect(groups.map(([, g]) => g.name).sort()).toEqual([
      "/aws/rds/instance/upskill-test-postgres-replica-1/postgresql",
      "/aws/rds/instance/upskill-test-postgres-replica-1/upgrade",
      "/aws/rds/instance/upskill-test-postgres/postgresql",
      "/aws/rds/instance/upskill-test-postgres/upgrade",
    ]);
    for (const [, g] of groups) {
      expect(g.retention_in_days).toBe(365);
      expect(g.kms_key_id).toBe(BASE.logsKmsKeyArn);
    }
    const primary = primaryOf(json);
    expect(primary.enabled_cloudwatch_logs_exports).toEqual(["postgresql", "upgrade"]);
    const primaryGroups = groups.filter(([, g]) => !g.name.includes("replica")).map(([name]) => `aws_cloudwatch_log_group.${name}`);
    expect(primary.depends_on).toEqual(expect.arrayContaining(primaryGroups));
  });

  test("Multi-AZ on: RDS places the primary; replicas rotate over the AZs", () => {
    const { json } = build({ multiAz: true, readReplicas: 3 });
    expect(primaryOf(json).multi_az).toBe(true);
    expect(primaryOf(json).availability_zone).toBeUndefined();
    expect(replicasOf(json).map((r) => r.availability_zone)).toEqual(["eu-west-1b", "eu-west-1c", "eu-west-1a"]);
  });

  test("Multi-AZ off: the primary is pinned and replicas go to the other AZs", () => {
    const { json } = build({ multiAz: false, readReplicas: 3 });
    expect(primaryOf(json).multi_az).toBe(false);
    expect(primaryOf(json).availability_zone).toBe("eu-west-1a");
    expect(replicasOf(json).map((r) => r.availability_zone)).toEqual(["eu-west-1b", "eu-west-1c", "eu-west-1b"]);
  });

  test("replicas: from the primary, encrypted with the same key, monitored, protected", () => {
    const { json, pg } = build({ readReplicas: 2, replicaInstanceClass: "db.r7g.xlarge" });
    const replicas = replicasOf(json);
    expect(replicas).toHaveLength(2);
    expect(replicas.map((r) => r.identifier)).toEqual(["upskill-test-postgres-replica-1", "upskill-test-postgres-replica-2"]);
    for (const r of replicas) {
      expect(r.replicate_source_db).toMatch(/aws_db_instance\.postgres_primary_[A-Z0-9]+\.identifier/);
      expect(r.instance_class).toBe("db.r7g.xlarge");
      expect(r.storage_encrypted).toBe(true);
      expect(r.kms_key_id).toBe(BASE.kmsKeyArn);
      expect(r.publicly_accessible).toBe(false);
      expect(r.deletion_protection).toBe(true);
      expect(r.lifecycle).toEqual({ prevent_destroy: true });
      expect(r.engine).toBeUndefined();
      expect(r.manage_master_user_password).toBeUndefined();
    }
    expect(pg.replicaIds).toHaveLength(2);
    expect(pg.readerEndpoints).toHaveLength(2);
  });

  test("no replicas when none are asked for", () => {
    const { json, pg } = build({ readReplicas: 0, multiAz: false });
    expect(replicasOf(json)).toEqual([]);
    expect(pg.readerEndpoints).toEqual([]);
  });

  test("the replica class defaults to the primary's", () => {
    const { json } = build({ readReplicas: 1 });
    expect(replicasOf(json)[0].instance_class).toBe("db.r7g.large");
  });

  test("refuses props RDS would refuse, saying what to change", () => {
    expect(() => build({ engineVersion: "17.2" })).toThrow(/major version such as "17"/);
    expect(() => build({ readReplicas: 16 })).toThrow(/readReplicas must be 0-15/);
    expect(() => build({ backupRetentionDays: 0 })).toThrow(/backupRetentionDays must be 1-35/);
    expect(() => build({ maxAllocatedStorageGb: 50 })).toThrow(/must be at least allocatedStorageGb/);
    expect(() => build({ identifier: "Bad_Id" })).toThrow(/identifier "Bad_Id"/);
    expect(() => build({ subnetIds: ["subnet-a"] })).toThrow(/one subnet per availability zone/);
    expect(() => build({ availabilityZones: ["eu-west-1a"], subnetIds: ["subnet-a"], readReplicas: 0 })).toThrow(/at least 2 availability zones/);
  });
});

describe("placeReplicas", () => {
  test("never puts a replica in a single-AZ primary's AZ", () => {
    const p = placeReplicas(["a", "b"], false, 3);
    expect(p.primaryAz).toBe("a");
    expect(p.replicaAzs).toEqual(["b", "b", "b"]);
  });

  test("needs two AZs for replicas", () => {
    expect(() => placeReplicas(["a"], false, 1)).toThrow(/need at least 2 availability zones/);
    expect(placeReplicas(["a"], false, 0)).toEqual({ primaryAz: "a", replicaAzs: [] });
  });
});
