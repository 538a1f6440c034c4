/** Where each pinned add-on chart's values.yaml comes from (tags of the charts' own repositories). */
export interface ChartSource {
  readonly chart: string;
  /** GitHub owner/name. */
  readonly repository: string;
  /** The tag of a chart version. */
  readonly tag: (version: string) => string;
  /** values.yaml inside the repository. */
  readonly path: string;
}

export const CHART_SOURCES: readonly ChartSource[] = [
  {
    chart: "aws-load-balancer-controller",
    repository: "kubernetes-sigs/aws-load-balancer-controller",
    tag: (v) => `v${v}`,
    path: "helm/aws-load-balancer-controller/values.yaml",
  },
  {
    chart: "cluster-autoscaler",
    repository: "kubernetes/autoscaler",
    tag: (v) => `cluster-autoscaler-chart-${v}`,
    path: "cluster-autoscaler/charts/cluster-autoscaler/values.yaml",
  },
  {
    chart: "metrics-server",
    repository: "kubernetes-sigs/metrics-server",
    tag: (v) => `metrics-server-helm-chart-${v}`,
    path: "charts/metrics-server/values.yaml",
  },
];
