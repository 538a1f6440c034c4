import type { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import type { IamPolicyStatement } from "../../workload-role/workload-role";
import { HelmAddOn } from "../helm-addon";
import type { HelmValues } from "../values";
import { LBC_CRDS_CHART_VERSION } from "./crds-version";
import publishedPolicy from "./iam-policy.json";
import chartCrds from "./crds.json";

export const AWS_LOAD_BALANCER_CONTROLLER_CHART = { repository: "https://aws.github.io/eks-charts", chart: "aws-load-balancer-controller" } as const;

export interface AwsLoadBalancerControllerProps {
  /** Chart version; must be the one whose CRDs are stored next to this file (LBC_CRDS_CHART_VERSION). */
  readonly version: string;
  readonly clusterName: string;
  readonly region: string;
  readonly vpcId: string;
  readonly accountId: string;
  /** IAM role name of the controller's service account. */
  readonly roleName: string;
  /** Values from `helm-values/aws-load-balancer-controller.yaml`. Default: none. */
  readonly fileValues?: HelmValues;
  /** Node labels the controller's pods must run on. Default: none (any node). */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** Default: "kube-system". */
  readonly namespace?: string;
  /** Default: "aws-load-balancer-controller". */
  readonly serviceAccount?: string;
  /** Default: none. */
  readonly dependsOn?: readonly (HelmAddOn | ITerraformDependable)[];
}

/** The controller's published IAM policy (docs/install/iam_policy.json at v3.5.0), statement by statement. */
export const AWS_LOAD_BALANCER_CONTROLLER_POLICY: readonly IamPolicyStatement[] = checkedStatements(publishedPolicy);

/** The chart's CustomResourceDefinitions (crds/crds.yaml), applied outside Helm. */
export const AWS_LOAD_BALANCER_CONTROLLER_CRDS: readonly Record<string, any>[] = chartCrds;

/**
 * The AWS Load Balancer Controller: its chart, a Pod Identity role with the
 * controller's published IAM policy, and the chart's CRDs.
 *
 * Helm installs a chart's `crds/` only on first install and never upgrades
 * them, while 3.x releases change them; so the CRDs are applied as
 * `kubernetes_manifest`s (server-side apply, updated with every chart
 * version) before the release, which skips its own copy.
 */
export class AwsLoadBalancerController extends HelmAddOn {
  readonly crds: readonly Manifest[];

  constructor(scope: Construct, id: string, props: AwsLoadBalancerControllerProps) {
    if (props.version !== LBC_CRDS_CHART_VERSION) {
      throw new Error(
        `AwsLoadBalancerController ${id}: chart version ${props.version} needs its own CRDs; the stored ones are chart ${LBC_CRDS_CHART_VERSION}'s. ` +
          "Replace modules/helm-addon/aws-load-balancer-controller/crds.json with that version's crds/crds.yaml and update LBC_CRDS_CHART_VERSION",
      );
    }
    const namespace = props.namespace ?? "kube-system";
    const serviceAccount = props.serviceAccount ?? "aws-load-balancer-controller";
    super(scope, id, {
      name: "aws-load-balancer-controller",
      ...AWS_LOAD_BALANCER_CONTROLLER_CHART,
      version: props.version,
      namespace,
      fileValues: props.fileValues,
      computedValues: {
        clusterName: props.clusterName,
        region: props.region,
        vpcId: props.vpcId,
        serviceAccount: { create: true, name: serviceAccount },
        ...(props.nodeSelector ? { nodeSelector: { ...props.nodeSelector } } : {}),
      },
      role: {
        name: props.roleName,
        clusterName: props.clusterName,
        accountId: props.accountId,
        serviceAccount,
        statements: AWS_LOAD_BALANCER_CONTROLLER_POLICY,
      },
      skipCrds: true,
      dependsOn: props.dependsOn,
    });
    this.crds = AWS_LOAD_BALANCER_CONTROLLER_CRDS.map(
      (crd) =>
        new Manifest(this, `crd-${crd.spec.names.plural}`, {
          manifest: crd,
          // Takes the fields over from an earlier `helm install`, which applied them first.
          fieldManager: { name: "terraform", forceConflicts: true },
        }),
    );
    this.installAfter(...this.crds);
  }
}

function checkedStatements(doc: { Version?: string; Statement?: unknown }): IamPolicyStatement[] {
  if (doc.Version !== "2012-10-17" || !Array.isArray(doc.Statement)) throw new Error("iam-policy.json: not an IAM policy document");
  return doc.Statement.map((s: any, i: number) => {
    if ((s.Effect !== "Allow" && s.Effect !== "Deny") || !s.Action || !s.Resource) throw new Error(`iam-policy.json: statement ${i} lacks Effect, Action or Resource`);
    return s as IamPolicyStatement;
  });
}
