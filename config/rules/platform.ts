import { LBC_CRDS_CHART_VERSION } from "../../modules/helm-addon/aws-load-balancer-controller/crds-version";
import { CORE_NODE_CLASS, NODE_CLASS_LABEL } from "../../modules/helm-addon/placement";
import { CLUSTER_AUTOSCALER_IMAGES } from "../../modules/helm-addon/cluster-autoscaler/images";
import { SUPPORTED_KUBERNETES_VERSIONS } from "./cluster";
import { problem, type ConfigRule } from "./types";

/** Helm releases of the cluster add-ons. */

/** cluster-autoscaler supports only the Kubernetes minor version it was released with. */
export const autoscalerImageMatchesCluster: ConfigRule = (env) => {
  const tag = env.platform.charts.clusterAutoscaler.imageTag;
  const cluster = env.cluster.kubernetesVersion;
  if (tag === undefined) {
    // An unsupported cluster version is reported by the cluster rules.
    if (!(SUPPORTED_KUBERNETES_VERSIONS as readonly string[]).includes(cluster) || CLUSTER_AUTOSCALER_IMAGES[cluster]) return [];
    return [
      problem(
        "platform.charts.clusterAutoscaler.imageTag",
        tag,
        `is required: no cluster-autoscaler image is known for Kubernetes ${cluster}; set a v${cluster}.x tag, or add one to modules/helm-addon/cluster-autoscaler/images.ts`,
      ),
    ];
  }
  const [, major, minor] = /^v(\d+)\.(\d+)\./.exec(tag) ?? [];
  return `${major}.${minor}` === cluster
    ? []
    : [problem("platform.charts.clusterAutoscaler.imageTag", tag, `must be a v${cluster}.x tag: cluster-autoscaler's minor version must equal the cluster's (cluster.kubernetesVersion ${cluster})`)];
};

/** The controller's CRDs are stored for one chart version (modules/helm-addon/aws-load-balancer-controller/crds.json). */
export const loadBalancerControllerCrds: ConfigRule = (env) => {
  const version = env.platform.charts.awsLoadBalancerController.version;
  return version === LBC_CRDS_CHART_VERSION
    ? []
    : [
        problem(
          "platform.charts.awsLoadBalancerController.version",
          version,
          `must be ${LBC_CRDS_CHART_VERSION}, the chart whose CRDs are stored; for another version replace modules/helm-addon/aws-load-balancer-controller/crds.json with its crds/crds.yaml and update LBC_CRDS_CHART_VERSION`,
        ),
      ];
};

/** The platform's controllers are pinned to on-demand, untainted nodes labelled as core. */
export const platformCoreNodes: ConfigRule = (env) => {
  const groups = env.cluster.nodeGroups;
  const untainted = (g: (typeof groups)[number]) => g.taints.every((t) => t.effect === "PREFER_NO_SCHEDULE");
  if (groups.some((g) => g.capacityType === "ON_DEMAND" && g.labels[NODE_CLASS_LABEL] === CORE_NODE_CLASS && untainted(g))) return [];
  // Reported already by the cluster rules (productionOnDemand, untaintedGroup).
  if (!groups.some(untainted) || (env.isProduction && !groups.some((g) => g.capacityType === "ON_DEMAND"))) return [];
  return [
    problem(
      "cluster.nodeGroups",
      groups.map((g) => g.name),
      `needs an ON_DEMAND node group labelled ${NODE_CLASS_LABEL}: ${CORE_NODE_CLASS} without NO_SCHEDULE/NO_EXECUTE taints: the load balancer controller, cluster-autoscaler and metrics-server run there`,
    ),
  ];
};

export const platformRules: readonly ConfigRule[] = [autoscalerImageMatchesCluster, loadBalancerControllerCrds, platformCoreNodes];
