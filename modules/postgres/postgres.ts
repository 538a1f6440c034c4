import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { DbInstanceAutomatedBackupsReplication } from "@cdktf/provider-aws/lib/db-instance-automated-backups-replication";
import type { TerraformProvider } from "cdktf";
import { MonitoringRole } from "./monitoring-role";
import { PostgresParameterGroup } from "./parameter-group";
import { placeReplicas } from "./replica-placement";

export interface PostgresProps {
  /** RDS identifier of the primary; replicas are `<identifier>-replica-<n>`. */
  readonly identifier: string;
  /** The account the instances live in (scopes the monitoring role's trust). */
  readonly accountId: string;
  /** PostgreSQL major version, e.g. "17"; RDS applies minor versions in the maintenance window. */
  readonly engineVersion: string;
  readonly instanceClass: string;
  /** Default: instanceClass. */
  readonly replicaInstanceClass?: string;
  readonly allocatedStorageGb: number;
  /** Storage autoscaling ceiling. */
  readonly maxAllocatedStorageGb: number;
  readonly multiAz: boolean;
  /** Read replicas of the primary, spread over the AZs (see replica-placement.ts). */
  readonly readReplicas: number;
  /** The AZs of `subnetIds`, in the same order. */
  readonly availabilityZones: readonly string[];
  /** Data subnets, one per AZ. */
  readonly subnetIds: readonly string[];
  /** The database tier's security group. */
  readonly securityGroupId: string;
  /** Encrypts storage, snapshots, Performance Insights and the master user secret. */
  readonly kmsKeyArn: string;
  /** Encrypts the exported log groups. */
  readonly logsKmsKeyArn: string;
  readonly logRetentionDays: number;
  /** Days of automated backups (point-in-time recovery); at least 1. */
  readonly backupRetentionDays: number;
  /** UTC, `hh:mm-hh:mm`. */
  readonly backupWindow: string;
  /** `ddd:hh:mm-ddd:hh:mm`. */
  readonly maintenanceWindow: string;
  /** Database created on the primary. */
  readonly databaseName: string;
  /** Master user name (its password is generated and kept by RDS in Secrets Manager). Default: `upskill_admin`. */
  readonly masterUsername?: string;
  /** Enhanced monitoring interval, seconds. Default: 60. */
  readonly monitoringIntervalSeconds?: number;
  /** Days Performance Insights keeps data. Default: 7 (the free tier). */
  readonly performanceInsightsRetentionDays?: number;
  /** Slow statement threshold, milliseconds. Default: 1000. */
  readonly logMinDurationStatementMs?: number;
  /** Default: 5432. */
  readonly port?: number;
  /**
   * Replicate the primary's automated backups (snapshots and transaction logs, so point-in-time
   * recovery) to another region, encrypted there with `kmsKeyArn` (a key of that region).
   * Default: no cross-region copy.
   */
  readonly drBackups?: {
    /** The provider of the DR region. */
    readonly provider: TerraformProvider;
    readonly kmsKeyArn: string;
    /** Days the DR region keeps them, 1-35. */
    readonly retentionDays: number;
  };
}

const LOG_EXPORTS = ["postgresql", "upgrade"];
const IDENTIFIER = /^[a-z](?!.*--)[a-z0-9-]{0,62}(?<!-)$/;

/**
 * RDS for PostgreSQL: an encrypted, private, deletion-protected primary (Multi-AZ
 * when asked) with automated backups and a final snapshot, a master password
 * that only RDS and Secrets Manager know, IAM authentication, forced TLS,
 * enhanced monitoring, Performance Insights and log exports to encrypted log
 * groups with retention; plus read replicas in other AZs, encrypted and
 * protected alike.
 */
export class Postgres extends Construct {
  readonly instanceId: string;
  readonly instanceArn: string;
  readonly replicaIds: string[];
  /** Host name of the primary (the writer). */
  readonly writerEndpoint: string;
  /** Host names of the read replicas. */
  readonly readerEndpoints: string[];
  readonly port: number;
  /** Secrets Manager secret holding the master user's credentials, managed by RDS. */
  readonly masterSecretArn: string;
  readonly securityGroupId: string;
  /** `rds-db:connect` resource prefix for IAM authentication: `arn:aws:rds-db:<region>:<account>:dbuser:<resource id>`. */
  readonly resourceId: string;
  /** The read replicas' resource ids: IAM authentication to a replica names its own. */
  readonly replicaResourceIds: string[];
  /** The database the app's roles are granted on. */
  readonly databaseName: string;
  /** The master user (only the provisioning job, through the managed secret, logs in as it). */
  readonly masterUsername: string;
  readonly primary: DbInstance;
  readonly replicas: DbInstance[];
  /** The cross-region replication of the primary's automated backups; undefined without `drBackups`. */
  readonly drBackupReplication?: DbInstanceAutomatedBackupsReplication;

  constructor(scope: Construct, id: string, props: PostgresProps) {
    super(scope, id);
    validate(id, props);
    const port = props.port ?? 5432;
    const placement = placeReplicas(props.availabilityZones, props.multiAz, props.readReplicas);

    const subnetGroup = new DbSubnetGroup(this, "subnet-group", {
      name: props.identifier,
      description: `${props.identifier}: data subnets of every AZ`,
      subnetIds: [...props.subnetIds],
    });
    const parameterGroup = new PostgresParameterGroup(this, "parameters", {
      name: props.identifier,
      majorVersion: props.engineVersion,
      logMinDurationStatementMs: props.logMinDurationStatementMs ?? 1000,
    });
    const monitoring = new MonitoringRole(this, "monitoring", { name: `${props.identifier}-monitoring`, accountId: props.accountId });

    // RDS would create these on first export, without retention or key.
    const logGroups = (instanceId: string, constructId: string) =>
      LOG_EXPORTS.map(
        (log) =>
          new CloudwatchLogGroup(this, `${constructId}-log-${log}`, {
            name: `/aws/rds/instance/${instanceId}/${log}`,
            retentionInDays: props.logRetentionDays,
            kmsKeyId: props.logsKmsKeyArn,
          }),
      );

    // Settings every instance shares, primary or replica.
    const common = {
      port,
      parameterGroupName: parameterGroup.name,
      storageType: "gp3",
      maxAllocatedStorage: props.maxAllocatedStorageGb,
      storageEncrypted: true,
      kmsKeyId: props.kmsKeyArn,
      publiclyAccessible: false,
      iamDatabaseAuthenticationEnabled: true,
      caCertIdentifier: "rds-ca-rsa2048-g1",
      copyTagsToSnapshot: true,
      deletionProtection: true,
      autoMinorVersionUpgrade: true,
      maintenanceWindow: props.maintenanceWindow,
      monitoringInterval: props.monitoringIntervalSeconds ?? 60,
      monitoringRoleArn: monitoring.roleArn,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: props.kmsKeyArn,
      performanceInsightsRetentionPeriod: props.performanceInsightsRetentionDays ?? 7,
      enabledCloudwatchLogsExports: LOG_EXPORTS,
      lifecycle: { preventDestroy: true },
    };

    this.primary = new DbInstance(this, "primary", {
      ...common,
      identifier: props.identifier,
      engine: "postgres",
      engineVersion: props.engineVersion,
      // Changing the major version in config is the deliberate way to upgrade.
      allowMajorVersionUpgrade: true,
      instanceClass: props.instanceClass,
      allocatedStorage: props.allocatedStorageGb,
      dbName: props.databaseName,
      username: props.masterUsername ?? "upskill_admin",
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: props.kmsKeyArn,
      multiAz: props.multiAz,
      availabilityZone: placement.primaryAz,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [props.securityGroupId],
      backupRetentionPeriod: props.backupRetentionDays,
      backupWindow: props.backupWindow,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${props.identifier}-final`,
      deleteAutomatedBackups: false,
      dependsOn: [...logGroups(props.identifier, "primary"), monitoring.policyAttachment],
    });

    this.replicas = placement.replicaAzs.map((az, i) => {
      const replicaId = `${props.identifier}-replica-${i + 1}`;
      return new DbInstance(this, `replica-${i + 1}`, {
        ...common,
        identifier: replicaId,
        // Same region: the source's identifier; the replica inherits engine, subnet group and encryption.
        replicateSourceDb: this.primary.identifier,
        instanceClass: props.replicaInstanceClass ?? props.instanceClass,
        availabilityZone: az,
        vpcSecurityGroupIds: [props.securityGroupId],
        // RDS takes no snapshot of a replica when it is deleted (its data is the primary's).
        skipFinalSnapshot: true,
        dependsOn: [...logGroups(replicaId, `replica-${i + 1}`), monitoring.policyAttachment],
      });
    });

    if (props.drBackups) {
      // Made in the DR region, from the source's ARN; a regional outage leaves these restorable.
      this.drBackupReplication = new DbInstanceAutomatedBackupsReplication(this, "dr-backups", {
        sourceDbInstanceArn: this.primary.arn,
        kmsKeyId: props.drBackups.kmsKeyArn,
        retentionPeriod: props.drBackups.retentionDays,
        provider: props.drBackups.provider,
      });
    }

    this.instanceId = this.primary.identifier;
    this.instanceArn = this.primary.arn;
    this.replicaIds = this.replicas.map((r) => r.identifier);
    this.writerEndpoint = this.primary.address;
    this.readerEndpoints = this.replicas.map((r) => r.address);
    this.port = port;
    this.masterSecretArn = this.primary.masterUserSecret.get(0).secretArn;
    this.securityGroupId = props.securityGroupId;
    this.resourceId = this.primary.resourceId;
    this.replicaResourceIds = this.replicas.map((r) => r.resourceId);
    this.databaseName = props.databaseName;
    this.masterUsername = props.masterUsername ?? "upskill_admin";
  }
}

function validate(id: string, p: PostgresProps): void {
  const fail = (msg: string) => {
    throw new Error(`Postgres ${id}: ${msg}`);
  };
  if (!IDENTIFIER.test(p.identifier)) fail(`identifier "${p.identifier}" must be 1-63 lower-case letters, digits and hyphens, a letter first, no '--' or trailing '-'`);
  if (p.readReplicas > 0 && `${p.identifier}-replica-${p.readReplicas}`.length > 63) fail(`identifier "${p.identifier}" is too long to name its replicas "<identifier>-replica-<n>" within 63 characters`);
  if (!/^\d+$/.test(p.engineVersion)) fail(`engineVersion must be a major version such as "17" (RDS applies minor versions itself), got "${p.engineVersion}"`);
  if (p.subnetIds.length !== p.availabilityZones.length) fail(`give one subnet per availability zone: ${p.subnetIds.length} subnets for ${p.availabilityZones.length} AZs`);
  if (p.subnetIds.length < 2) fail("a DB subnet group needs subnets in at least 2 availability zones");
  if (p.backupRetentionDays < 1 || p.backupRetentionDays > 35) fail(`backupRetentionDays must be 1-35 (every database is backed up), got ${p.backupRetentionDays}`);
  if (p.readReplicas < 0 || p.readReplicas > 15 || !Number.isInteger(p.readReplicas)) fail(`readReplicas must be 0-15 (RDS for PostgreSQL's limit), got ${p.readReplicas}`);
  if (p.maxAllocatedStorageGb < p.allocatedStorageGb) fail(`maxAllocatedStorageGb (${p.maxAllocatedStorageGb}) must be at least allocatedStorageGb (${p.allocatedStorageGb})`);
  if (p.drBackups && (!Number.isInteger(p.drBackups.retentionDays) || p.drBackups.retentionDays < 1 || p.drBackups.retentionDays > 35)) {
    fail(`drBackups.retentionDays must be 1-35 (what RDS accepts), got ${p.drBackups.retentionDays}`);
  }
  if (p.allocatedStorageGb < 20) fail(`allocatedStorageGb must be at least 20 (gp3's minimum), got ${p.allocatedStorageGb}`);
}
