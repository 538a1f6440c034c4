import type { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { HelmAddOn } from "../helm-addon";
import type { HelmValues } from "../values";

export const METRICS_SERVER_CHART = { repository: "https://kubernetes-sigs.github.io/metrics-server/", chart: "metrics-server" } as const;

export interface MetricsServerProps {
  readonly version: string;
  /** Values from `helm-values/metrics-server.yaml`. Default: none. */
  readonly fileValues?: HelmValues;
  /** Node labels metrics-server must run on. Default: none (any node). */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** Default: "kube-system". */
  readonly namespace?: string;
  /** Default: none. */
  readonly dependsOn?: readonly (HelmAddOn | ITerraformDependable)[];
}

/** metrics-server: the resource metrics API that horizontal pod autoscaling reads. No AWS access. */
export class MetricsServer extends HelmAddOn {
  constructor(scope: Construct, id: string, props: MetricsServerProps) {
    super(scope, id, {
      name: "metrics-server",
      ...METRICS_SERVER_CHART,
      version: props.version,
      namespace: props.namespace ?? "kube-system",
      fileValues: props.fileValues,
      computedValues: props.nodeSelector ? { nodeSelector: { ...props.nodeSelector } } : {},
      dependsOn: props.dependsOn,
    });
  }
}
