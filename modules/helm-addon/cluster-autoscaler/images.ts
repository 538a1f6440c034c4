/**
 * The cluster-autoscaler image for each Kubernetes minor version: the newest
 * patch release of that minor (tags `cluster-autoscaler-1.x.y` of
 * kubernetes/autoscaler, July 2026). The autoscaler supports only the minor
 * version it was built for. Add an entry when config's supported Kubernetes
 * versions grow (a config rule and a test check that every one has an image).
 */
export const CLUSTER_AUTOSCALER_IMAGES: Readonly<Record<string, string>> = {
  "1.34": "v1.34.5",
  "1.35": "v1.35.2",
  "1.36": "v1.36.1",
};
