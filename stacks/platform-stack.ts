import type { Construct } from "constructs";
import { KubernetesProviders } from "../modules/kubernetes-providers/kubernetes-providers";
import { AwsLoadBalancerController } from "../modules/helm-addon/aws-load-balancer-controller/aws-load-balancer-controller";
import { ClusterAutoscaler } from "../modules/helm-addon/cluster-autoscaler/cluster-autoscaler";
import { CLUSTER_AUTOSCALER_IMAGES } from "../modules/helm-addon/cluster-autoscaler/images";
import { MetricsServer } from "../modules/helm-addon/metrics-server/metrics-server";
import { CORE_NODE_CLASS, NODE_CLASS_LABEL } from "../modules/helm-addon/placement";
import { EbsStorageClass } from "../modules/storage-class/ebs-storage-class";
import { NonDefaultStorageClass } from "../modules/storage-class/non-default-storage-class";
import { expandNodeGroups } from "../modules/node-group/zonal-groups";
import { PlannerClusterAccess } from "../modules/planner-access/planner-access";
import { LayerStack, type LayerStackProps } from "./layer-stack";
import { readHelmValues } from "./helm-values";

/** What the platform layer reads from the network layer. */
export interface PlatformNetwork {
  readonly vpcId: string;
}

/** What the platform layer reads from the cluster layer. */
export interface PlatformCluster {
  readonly clusterName: string;
  readonly clusterEndpoint: string;
  readonly clusterCertificateAuthorityData: string;
  readonly ebsKmsKeyArn: string;
  /** The Auto Scaling group of each node group, in config's node group order. */
  readonly autoscalingGroupNames: readonly string[];
  /** The tag the volume backup plan selects (literal). */
  readonly volumeBackupTag: { readonly key: string; readonly value: string };
}

export interface PlatformStackProps extends LayerStackProps {
  readonly network: PlatformNetwork;
  readonly cluster: PlatformCluster;
}

/** The default storage class's name. */
export const DEFAULT_STORAGE_CLASS = "gp3-encrypted";

/**
 * `<env>-platform`: the Kubernetes and Helm providers of the cluster made by
 * the cluster layer (exec authentication), the AWS Load Balancer Controller,
 * cluster-autoscaler and metrics-server with their Pod Identity roles, and the
 * default encrypted gp3 storage class.
 */
export class PlatformStack extends LayerStack {
  readonly loadBalancerController: AwsLoadBalancerController;
  readonly clusterAutoscaler: ClusterAutoscaler;
  readonly metricsServer: MetricsServer;
  readonly storageClassName: string;

  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, "platform", props);
    const env = this.environment;
    const { cluster, network } = props;
    const charts = env.platform.charts;
    const prefix = env.names.prefix;
    // The cluster layer makes one group per AZ of each zonal class, in this order.
    const groups = expandNodeGroups(env.cluster.nodeGroups, env.availabilityZones, env.names.cluster);
    if (cluster.autoscalingGroupNames.length !== groups.length) {
      throw new Error(`PlatformStack ${this.node.id}: the cluster layer gave ${cluster.autoscalingGroupNames.length} Auto Scaling groups for ${groups.length} node groups`);
    }

    new KubernetesProviders(this, "kubernetes-access", {
      clusterName: cluster.clusterName,
      endpoint: cluster.clusterEndpoint,
      certificateAuthorityData: cluster.clusterCertificateAuthorityData,
      region: env.region,
    });

    // The controllers run on the on-demand core nodes (config rule platformCoreNodes).
    const nodeSelector = { [NODE_CLASS_LABEL]: CORE_NODE_CLASS };

    this.loadBalancerController = new AwsLoadBalancerController(this, "aws-load-balancer-controller", {
      version: charts.awsLoadBalancerController.version,
      clusterName: cluster.clusterName,
      region: env.region,
      vpcId: network.vpcId,
      accountId: env.accountId,
      roleName: `${prefix}-aws-load-balancer-controller`,
      fileValues: readHelmValues("aws-load-balancer-controller"),
      nodeSelector,
    });

    // The controller's webhooks (Service mutator, pod readiness gates) refuse new
    // Services and pods while it is not running: the other releases come after it.
    this.clusterAutoscaler = new ClusterAutoscaler(this, "cluster-autoscaler", {
      version: charts.clusterAutoscaler.version,
      // Config rule autoscalerImageMatchesCluster guarantees one of the two, for the cluster's minor version.
      imageTag: charts.clusterAutoscaler.imageTag ?? CLUSTER_AUTOSCALER_IMAGES[env.cluster.kubernetesVersion],
      clusterName: cluster.clusterName,
      region: env.region,
      accountId: env.accountId,
      roleName: `${prefix}-cluster-autoscaler`,
      nodeGroups: groups.map((g, i) => ({ autoscalingGroupName: cluster.autoscalingGroupNames[i]!, capacityType: g.config.capacityType })),
      fileValues: readHelmValues("cluster-autoscaler"),
      nodeSelector,
      dependsOn: [this.loadBalancerController],
    });

    this.metricsServer = new MetricsServer(this, "metrics-server", {
      version: charts.metricsServer.version,
      fileValues: readHelmValues("metrics-server"),
      nodeSelector,
      dependsOn: [this.loadBalancerController],
    });

    const storageClass = new EbsStorageClass(this, "storage-class", {
      name: DEFAULT_STORAGE_CLASS,
      kmsKeyArn: cluster.ebsKmsKeyArn,
      volumeTags: { [cluster.volumeBackupTag.key]: cluster.volumeBackupTag.value },
    });
    new NonDefaultStorageClass(this, "gp2-not-default", { name: "gp2" });
    // The CI plan role reads the cluster through RBAC: no Secrets but the releases' of kube-system.
    new PlannerClusterAccess(this, "planner-access", { releaseNamespaces: ["kube-system"] });
    this.storageClassName = storageClass.name;
  }
}
