import { Construct } from "constructs";
import { Token, type ITerraformDependable, type TerraformProvider } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { WorkloadRole, type IamPolicyStatement } from "../workload-role/workload-role";
import { renderValues, withComputedValues, type HelmValues, type ValuesLayer } from "./values";
import { COMPUTED_ONLY_KEYS } from "./service-values";

export interface AppServiceProps {
  /** Helm release name, also the service account's and the chart's name, e.g. `upskill-api` (Helm allows 53 characters). */
  readonly releaseName: string;
  readonly namespace: string;
  /** The chart in an OCI registry, pulled with registry credentials read at plan time. */
  readonly chart: {
    /** `oci://<registry>/<path>`; Helm pulls `<path>/<name>:<version>`. */
    readonly repository: string;
    readonly name: string;
    /** Pinned chart version. */
    readonly version: string;
    readonly username: string;
    /** A reference to a token data source, never a literal. */
    readonly password: string;
  };
  /** The service's values files, in order (later ones override). */
  readonly valuesLayers: readonly ValuesLayer[];
  /** Values computed from config and other layers; a values file must not set them. */
  readonly computedValues: HelmValues;
  /** The workload role: IAM role name (`<prefix>-*`), cluster, account and statements. */
  readonly role: { readonly name: string; readonly clusterName: string; readonly accountId: string; readonly statements: readonly IamPolicyStatement[] };
  /** The Helm provider of the cluster. */
  readonly helmProvider: TerraformProvider;
  /** Resources the release needs first (the namespace). Default: none besides the role's association. */
  readonly dependsOn?: readonly ITerraformDependable[];
  /** Seconds Helm waits for the rollout before rolling back. Default: 600. */
  readonly timeoutSeconds?: number;
}

/**
 * One app service on the cluster: its workload role (EKS Pod Identity for
 * `<namespace>/<releaseName>`) and its Helm release from the app's chart
 * registry, with the values files merged with the computed values. The
 * release waits for the pod identity association, so the first pods start
 * with their credentials, and rolls back a failed upgrade (`atomic`).
 */
export class AppService extends Construct {
  readonly role: WorkloadRole;
  readonly release: Release;
  /** The merged values the release receives (before Terraform resolves references). */
  readonly values: HelmValues;

  constructor(scope: Construct, id: string, props: AppServiceProps) {
    super(scope, id);
    validate(id, props);
    this.role = new WorkloadRole(this, "role", {
      name: props.role.name,
      clusterName: props.role.clusterName,
      accountId: props.role.accountId,
      namespace: props.namespace,
      serviceAccount: props.releaseName,
      statements: props.role.statements,
    });
    this.values = withComputedValues(props.valuesLayers, props.computedValues, COMPUTED_ONLY_KEYS);
    this.release = new Release(this, "release", {
      name: props.releaseName,
      namespace: props.namespace,
      repository: props.chart.repository,
      chart: props.chart.name,
      version: props.chart.version,
      repositoryUsername: props.chart.username,
      repositoryPassword: props.chart.password,
      values: [renderValues(this.values)],
      atomic: true,
      cleanupOnFail: true,
      wait: true,
      timeout: props.timeoutSeconds ?? 600,
      maxHistory: 10,
      provider: props.helmProvider,
      dependsOn: [...(props.dependsOn ?? []), ...(this.role.association ? [this.role.association] : [])],
    });
  }
}

const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

function validate(id: string, p: AppServiceProps): void {
  const fail = (msg: string): never => {
    throw new Error(`AppService ${id}: ${msg}`);
  };
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(p.releaseName) || p.releaseName.length > 53) {
    fail(`releaseName "${p.releaseName}" must be at most 53 lower-case letters, digits and '-' (Helm's limit)`);
  }
  if (!p.chart.repository.startsWith("oci://")) fail(`chart.repository must be an oci:// registry URL, got ${p.chart.repository}`);
  if (!Token.isUnresolved(p.chart.password)) fail("chart.password must be a reference read at plan time (the aws_ecr_authorization_token data source's password), never a literal in the synthesized JSON");
  if (!SEMVER.test(p.chart.version)) fail(`chart.version must be a pinned semantic version such as 1.2.3, got "${p.chart.version}"`);
}
