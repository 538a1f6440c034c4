import type { ObservabilityStackProps } from "../../stacks/observability-stack";
import { shippedEnvironment } from "./fixtures";

/**
 * Literal stand-ins for the outputs of the layers the observability layer reads,
 * shaped like a shipped environment's (one NAT or one per AZ, its replicas, its
 * cache members, its services with a port).
 */
export function observabilityInputs(envName: string): Omit<ObservabilityStackProps, "environment"> {
  const env = shippedEnvironment(envName);
  const prefix = env.names.prefix;
  const natCount = env.network.natGateways === "per-az" ? env.availabilityZones.length : 1;
  return {
    network: { natGatewayIds: Array.from({ length: natCount }, (_, i) => `nat-${i}`) },
    data: {
      logsKeyArn: `arn:aws:kms:${env.region}:${env.accountId}:key/logs`,
      postgres: { instanceId: env.names.postgres, replicaIds: Array.from({ length: env.data.postgres.readReplicas }, (_, i) => `${env.names.postgres}-replica-${i + 1}`) },
      cache: { replicationGroupId: `${prefix}-cache`, memberClusterIds: Array.from({ length: env.data.cache.nodeCount }, (_, i) => `${prefix}-cache-00${i + 1}`) },
      buckets: { backups: { name: `${prefix}-backups-${env.accountId}` } },
    },
    cluster: { clusterName: env.names.cluster, clusterVersion: env.cluster.kubernetesVersion, backupVaultName: `${prefix}-volumes` },
    edge: {
      albArnSuffix: `app/${prefix}-alb/0123`,
      targetGroups: Object.fromEntries(env.app.services.filter((s) => s.port).map((s) => [s.name, { arnSuffix: `targetgroup/${prefix}-${s.name}/0123` }])),
      siteDistributionId: "E2SITE",
      apiHealthCheckId: "hc-api",
    },
  };
}
