/**
 * The chart version whose CRDs are stored in `crds.json` (from the chart's
 * `crds/crds.yaml` at tag v3.5.0 of kubernetes-sigs/aws-load-balancer-controller).
 * Another chart version needs its own CRDs: replace `crds.json` and this constant together.
 */
export const LBC_CRDS_CHART_VERSION = "3.5.0";
