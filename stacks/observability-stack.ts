import type { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { LayerStack, type LayerStackProps } from "./layer-stack";
import { AlertTopic } from "../modules/alerting/alert-topic";
import type { AlarmEvaluation } from "../modules/alarms/metric-alarm";
import { DatabaseAlarms } from "../modules/alarms/database-alarms";
import { CacheAlarms } from "../modules/alarms/cache-alarms";
import { LoadBalancerAlarms } from "../modules/alarms/load-balancer-alarms";
import { CdnAlarms } from "../modules/alarms/cdn-alarms";
import { NatGatewayAlarms } from "../modules/alarms/nat-gateway-alarms";
import { NodeAlarms } from "../modules/alarms/node-alarms";
import { HealthCheckAlarms } from "../modules/alarms/health-check-alarms";
import { DumpAlarms } from "../modules/alarms/dump-alarms";
import { BackupAlarms } from "../modules/alarms/backup-alarms";
import { Dashboard, type DashboardRow } from "../modules/dashboard/dashboard";
import { CostBudget } from "../modules/budget/cost-budget";
import { ContainerInsights } from "../modules/container-insights/container-insights";

/** What the observability layer reads from the network layer. */
export interface ObservabilityNetworkInputs {
  /** One, or one per AZ. */
  readonly natGatewayIds: readonly string[];
}

/** What the observability layer reads from the data layer. */
export interface ObservabilityDataInputs {
  /** Key of the primary region's log groups (Container Insights' groups use it). */
  readonly logsKeyArn: string;
  readonly postgres: { readonly instanceId: string; readonly replicaIds: readonly string[] };
  readonly cache: { readonly replicationGroupId: string; readonly memberClusterIds: readonly string[] };
  /** The bucket database dumps are written to (its request metrics feed the missed-dump alarm). */
  readonly buckets: { readonly backups: { readonly name: string } };
}

/** What the observability layer reads from the cluster layer. */
export interface ObservabilityClusterInputs {
  readonly clusterName: string;
  /** The control plane's Kubernetes version: picks the add-on's default version. */
  readonly clusterVersion: string;
  /** The vault of the persistent volumes' backups. */
  readonly backupVaultName: string;
}

/** What the observability layer reads from the edge layer. */
export interface ObservabilityEdgeInputs {
  readonly albArnSuffix: string;
  readonly targetGroups: Readonly<Record<string, { readonly arnSuffix: string }>>;
  readonly siteDistributionId: string;
  /** Route 53 health check of the API origin (its metrics are in us-east-1). */
  readonly apiHealthCheckId: string;
}

export interface ObservabilityStackProps extends LayerStackProps {
  readonly network: ObservabilityNetworkInputs;
  readonly data: ObservabilityDataInputs;
  readonly cluster: ObservabilityClusterInputs;
  readonly edge: ObservabilityEdgeInputs;
}

/**
 * `<env>-observability`: the alert topics (the primary region's, and us-east-1's
 * for CloudFront and Route 53, whose metrics live only there), CloudWatch alarms
 * on every tier notifying them on ALARM and OK, the Container Insights add-on, a
 * dashboard with a row per tier, and the environment's monthly cost budget.
 */
export class ObservabilityStack extends LayerStack {
  readonly alertTopicArn: string;
  /** The us-east-1 topic of the CloudFront and Route 53 alarms. */
  readonly globalAlertTopicArn: string;
  readonly dashboardName: string;

  constructor(scope: Construct, props: ObservabilityStackProps) {
    super(scope, "observability", props);
    const env = this.environment;
    const obs = env.observability;
    const a = obs.alarms;
    const prefix = env.names.prefix;
    const evaluation: AlarmEvaluation = { periodSeconds: a.periodSeconds, evaluationPeriods: a.evaluationPeriods, datapointsToAlarm: a.datapointsToAlarm };

    const topic = new AlertTopic(this, "alerts", {
      name: `${prefix}-alerts`,
      keyAlias: `${prefix}/alerts`,
      accountId: env.accountId,
      region: env.region,
      emails: obs.alarmEmails,
      // No backup vault sends notifications (aws_backup_vault_notifications): no grant for AWS Backup.
      publishers: ["cloudwatch", "budgets"],
    });
    const globalTopic = new AlertTopic(this, "alerts-us-east-1", {
      name: `${prefix}-alerts-us-east-1`,
      keyAlias: `${prefix}/alerts-us-east-1`,
      accountId: env.accountId,
      region: "us-east-1",
      emails: obs.alarmEmails,
      publishers: ["cloudwatch"],
      provider: this.usEast1Provider,
    });
    const regional = { prefix, topicArn: topic.topicArn, evaluation };
    const global = { prefix, topicArn: globalTopic.topicArn, evaluation, provider: this.usEast1Provider };

    const database = new DatabaseAlarms(this, "database-alarms", {
      ...regional,
      instanceId: props.data.postgres.instanceId,
      replicaIds: props.data.postgres.replicaIds,
      thresholds: a.database,
    });
    const cache = new CacheAlarms(this, "cache-alarms", {
      ...regional,
      replicationGroupId: props.data.cache.replicationGroupId,
      memberClusterIds: props.data.cache.memberClusterIds,
      thresholds: a.cache,
    });
    const alb = new LoadBalancerAlarms(this, "alb-alarms", {
      ...regional,
      albArnSuffix: props.edge.albArnSuffix,
      targetGroups: props.edge.targetGroups,
      thresholds: a.loadBalancer,
    });
    const cdn = new CdnAlarms(this, "cdn-alarms", { ...global, distributionId: props.edge.siteDistributionId, errorRatePercent: a.cdn.errorRatePercent });
    const healthChecks = new HealthCheckAlarms(this, "health-check-alarms", { ...global, healthChecks: { api: props.edge.apiHealthCheckId } });
    const nat = new NatGatewayAlarms(this, "nat-alarms", {
      ...regional,
      natGatewayIds: props.network.natGatewayIds,
      portAllocationErrors: a.nat.portAllocationErrors,
      droppedPackets: a.nat.droppedPackets,
    });
    new ContainerInsights(this, "container-insights", {
      clusterName: props.cluster.clusterName,
      kubernetesVersion: props.cluster.clusterVersion,
      accountId: env.accountId,
      namePrefix: prefix,
      addonVersion: obs.containerInsightsAddonVersion,
      logRetentionDays: env.logRetentionDays,
      logsKmsKeyArn: props.data.logsKeyArn,
    });
    const nodes = new NodeAlarms(this, "node-alarms", { ...regional, clusterName: props.cluster.clusterName, cpuPercent: a.nodes.cpuPercent, memoryPercent: a.nodes.memoryPercent });
    const backup = new BackupAlarms(this, "backup-alarms", { ...regional, vaultName: props.cluster.backupVaultName });
    const dumps = env.data.postgres.dumps
      ? new DumpAlarms(this, "dump-alarms", { ...regional, bucketName: props.data.buckets.backups.name, maxHoursBetweenDumps: env.data.postgres.dumps.maxHoursBetweenDumps })
      : undefined;

    const rows: DashboardRow[] = [
      { title: "Edge: CloudFront and health checks", description: "Metrics of us-east-1 (CloudFront, Route 53).", widgets: [...cdn.widgets, ...healthChecks.widgets] },
      { title: "Load balancer", widgets: alb.widgets },
      { title: "Cluster nodes (Container Insights)", widgets: nodes.widgets },
      { title: "Database (RDS PostgreSQL)", widgets: database.widgets },
      { title: "Cache (ElastiCache)", widgets: cache.widgets },
      { title: "Network: NAT gateways", widgets: nat.widgets },
      { title: "Backups (AWS Backup, database dumps)", widgets: [...backup.widgets, ...(dumps?.widgets ?? [])] },
    ];
    const dashboard = new Dashboard(this, "dashboard", { name: prefix, region: env.region, rows });

    new CostBudget(this, "budget", {
      name: `${prefix}-monthly`,
      limitUsd: obs.monthlyBudgetUsd,
      tag: { key: "Environment", value: env.name },
      activateTag: obs.activateCostAllocationTag,
      // The alarm addresses are on the topic already: listing them here too would send each budget alert twice.
      topicArn: topic.topicArn,
    });

    // Every address is subscribed to both topics (regional alarms, us-east-1 alarms) and must
    // confirm each of the two messages SNS sends; until then its alerts go nowhere.
    new TerraformOutput(this, "alert-subscriptions-pending", {
      value: Object.fromEntries(
        obs.alarmEmails.map((email) => [email, { [`${prefix}-alerts`]: topic.subscriptions[email]!.pendingConfirmation, [`${prefix}-alerts-us-east-1`]: globalTopic.subscriptions[email]!.pendingConfirmation }]),
      ),
      description: "Per alarm address, whether each of its two subscriptions (the regional and the us-east-1 alert topic) still awaits the address's confirmation: each address must click the link in both SNS messages",
    });

    this.alertTopicArn = topic.topicArn;
    this.globalAlertTopicArn = globalTopic.topicArn;
    this.dashboardName = dashboard.dashboardName;
    new TerraformOutput(this, "dashboard-url", {
      value: `https://${env.region}.console.aws.amazon.com/cloudwatch/home?region=${env.region}#dashboards/dashboard/${prefix}`,
      description: "The environment's CloudWatch dashboard",
    });
  }
}
