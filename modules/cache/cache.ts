import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { ElasticacheParameterGroup } from "@cdktf/provider-aws/lib/elasticache-parameter-group";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { ElasticacheSubnetGroup } from "@cdktf/provider-aws/lib/elasticache-subnet-group";
import { CacheUsers } from "./cache-users";

export type CacheEngine = "redis" | "valkey";

/** Engine versions this module knows the parameter group family of. */
export const CACHE_PARAMETER_FAMILIES: Readonly<Record<CacheEngine, Readonly<Record<string, string>>>> = {
  // IAM authentication needs Redis OSS 7.0 or later; 7.1 is the last Redis OSS line on ElastiCache.
  redis: { "7.0": "redis7", "7.1": "redis7" },
  valkey: { "7.2": "valkey7", "8.0": "valkey8", "8.1": "valkey8", "8.2": "valkey8", "9.0": "valkey9" },
};

export interface CacheProps {
  /** Replication group id, e.g. `upskill-prod-cache`; also names the subnet group, parameter group, users and log groups. */
  readonly replicationGroupId: string;
  readonly engine: CacheEngine;
  /** `<major>.<minor>`, one of CACHE_PARAMETER_FAMILIES[engine]. */
  readonly engineVersion: string;
  readonly nodeType: string;
  /** Nodes: one primary and nodeCount - 1 replicas, 2 to 6. */
  readonly nodeCount: number;
  /** The AZs nodes rotate over, primary in the first. */
  readonly availabilityZones: readonly string[];
  /** Data subnets, one per AZ. */
  readonly subnetIds: readonly string[];
  /** The cache tier's security group. */
  readonly securityGroupId: string;
  /** Encrypts data at rest and snapshots. */
  readonly kmsKeyArn: string;
  /** Encrypts the slow-log and engine-log groups. */
  readonly logsKmsKeyArn: string;
  readonly logRetentionDays: number;
  /** Days of daily snapshots; at least 1. */
  readonly snapshotRetentionDays: number;
  /** UTC, `hh:mm-hh:mm`. */
  readonly snapshotWindow: string;
  /** `ddd:hh:mm-ddd:hh:mm`. */
  readonly maintenanceWindow: string;
  /** SNS topic for ElastiCache events (failovers, maintenance). Default: none; the observability layer can hook one in later. */
  readonly notificationTopicArn?: string;
  /** Extra engine parameters. Default: none (the family's defaults). */
  readonly parameters?: Readonly<Record<string, string>>;
  /** Default: 6379. */
  readonly port?: number;
}

const GROUP_ID = /^[a-z](?!.*--)[a-z0-9-]{0,39}(?<!-)$/;

/**
 * ElastiCache for Redis OSS or Valkey, cluster mode disabled: a replication
 * group of nodes spread over the AZs with automatic failover and Multi-AZ,
 * encrypted at rest (customer key) and in transit (TLS required), IAM
 * authentication through RBAC (no password anywhere), daily snapshots, a final
 * snapshot on deletion, slow and engine logs to encrypted log groups.
 */
export class Cache extends Construct {
  readonly replicationGroupId: string;
  readonly replicationGroupArn: string;
  /** Host name of the primary (writes). */
  readonly primaryEndpoint: string;
  /** Host name balancing over the replicas (reads). */
  readonly readerEndpoint: string;
  readonly port: number;
  readonly securityGroupId: string;
  readonly memberClusterIds: string[];
  readonly userGroupId: string;
  /** The user the application authenticates as, with an IAM token (`elasticache:Connect` on it and the group). */
  readonly appUserId: string;
  readonly appUserArn: string;
  readonly replicationGroup: ElasticacheReplicationGroup;

  constructor(scope: Construct, id: string, props: CacheProps) {
    super(scope, id);
    const family = validate(id, props);
    const name = props.replicationGroupId;
    const port = props.port ?? 6379;

    const subnetGroup = new ElasticacheSubnetGroup(this, "subnet-group", {
      name,
      description: `${name}: data subnets of every AZ`,
      subnetIds: [...props.subnetIds],
    });
    const parameterGroup = new ElasticacheParameterGroup(this, "parameters", {
      name: `${name}-${family}`,
      family,
      description: `${name}: ${props.engine} ${props.engineVersion}`,
      parameter: Object.entries(props.parameters ?? {}).map(([n, value]) => ({ name: n, value })),
      // A new major brings a new family: the new group must exist before the old one goes.
      lifecycle: { createBeforeDestroy: true },
    });
    const users = new CacheUsers(this, "users", { name });

    const logTypes = ["slow-log", "engine-log"] as const;
    const logGroups = logTypes.map(
      (type) =>
        new CloudwatchLogGroup(this, `log-${type}`, {
          name: `/aws/elasticache/${name}/${type}`,
          retentionInDays: props.logRetentionDays,
          kmsKeyId: props.logsKmsKeyArn,
        }),
    );

    const azs = props.availabilityZones;
    this.replicationGroup = new ElasticacheReplicationGroup(this, "group", {
      replicationGroupId: name,
      description: `${name}: ${props.engine} ${props.engineVersion}, ${props.nodeCount} nodes`,
      engine: props.engine,
      engineVersion: props.engineVersion,
      nodeType: props.nodeType,
      port,
      numCacheClusters: props.nodeCount,
      // Primary in the first AZ, replicas in the next ones, wrapping round.
      preferredCacheClusterAzs: Array.from({ length: props.nodeCount }, (_, i) => azs[i % azs.length]),
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      subnetGroupName: subnetGroup.name,
      securityGroupIds: [props.securityGroupId],
      parameterGroupName: parameterGroup.name,
      atRestEncryptionEnabled: "true",
      kmsKeyId: props.kmsKeyArn,
      transitEncryptionEnabled: true,
      transitEncryptionMode: "required",
      userGroupIds: [users.userGroupId],
      snapshotRetentionLimit: props.snapshotRetentionDays,
      snapshotWindow: props.snapshotWindow,
      finalSnapshotIdentifier: `${name}-final`,
      maintenanceWindow: props.maintenanceWindow,
      autoMinorVersionUpgrade: "true",
      notificationTopicArn: props.notificationTopicArn,
      logDeliveryConfiguration: logGroups.map((g, i) => ({
        destination: g.name,
        destinationType: "cloudwatch-logs",
        logFormat: "json",
        logType: logTypes[i],
      })),
      dependsOn: logGroups,
      lifecycle: { preventDestroy: true },
    });

    this.replicationGroupId = this.replicationGroup.id;
    this.replicationGroupArn = this.replicationGroup.arn;
    this.primaryEndpoint = this.replicationGroup.primaryEndpointAddress;
    this.readerEndpoint = this.replicationGroup.readerEndpointAddress;
    this.port = port;
    this.securityGroupId = props.securityGroupId;
    this.memberClusterIds = this.replicationGroup.memberClusters;
    this.userGroupId = users.userGroupId;
    this.appUserId = users.appUserId;
    this.appUserArn = users.appUserArn;
  }
}

/** Checks the props and returns the parameter group family. */
function validate(id: string, p: CacheProps): string {
  const fail = (msg: string): never => {
    throw new Error(`Cache ${id}: ${msg}`);
  };
  if (!GROUP_ID.test(p.replicationGroupId)) fail(`replicationGroupId "${p.replicationGroupId}" must be 1-40 lower-case letters, digits and hyphens, a letter first, no '--' or trailing '-'`);
  const family = CACHE_PARAMETER_FAMILIES[p.engine]?.[p.engineVersion];
  if (!family) fail(`engine ${p.engine} ${p.engineVersion} is not supported; use one of ${Object.keys(CACHE_PARAMETER_FAMILIES[p.engine] ?? {}).join(", ")}`);
  if (!Number.isInteger(p.nodeCount) || p.nodeCount < 2 || p.nodeCount > 6) fail(`nodeCount must be 2-6 (automatic failover needs a replica; at most 5 replicas), got ${p.nodeCount}`);
  if (p.availabilityZones.length < 2) fail("nodes need at least 2 availability zones for Multi-AZ");
  if (p.subnetIds.length !== p.availabilityZones.length) fail(`give one subnet per availability zone: ${p.subnetIds.length} subnets for ${p.availabilityZones.length} AZs`);
  if (p.snapshotRetentionDays < 1 || p.snapshotRetentionDays > 35) fail(`snapshotRetentionDays must be 1-35, got ${p.snapshotRetentionDays}`);
  return family as string;
}
