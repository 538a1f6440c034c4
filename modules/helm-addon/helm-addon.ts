import { Construct } from "constructs";
import { Token, type ITerraformDependable, type TerraformProvider, type TerraformResource } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { WorkloadRole, type IamPolicyStatement } from "../workload-role/workload-role";
import { mergeValues, renderValuesYaml, type HelmValues } from "./values";
import type { LocalChart } from "./local-chart";

/** The IAM role of an add-on's pods (EKS Pod Identity), in the add-on's namespace. */
export interface HelmAddOnRoleProps {
  /** IAM role name, `<prefix>-<purpose>`. */
  readonly name: string;
  /** The cluster whose pods assume the role (literal or cross-stack reference). */
  readonly clusterName: string;
  readonly accountId: string;
  /** The service account the chart creates and the pods run as; the role trusts only it. */
  readonly serviceAccount: string;
  /** Statements of the role's inline policy. Default: none. */
  readonly statements?: readonly IamPolicyStatement[];
  /** Managed policies attached to the role. Default: none. */
  readonly managedPolicyArns?: readonly string[];
  /** Default: the stack's default AWS provider. */
  readonly provider?: TerraformProvider;
}

/** A chart downloaded from a chart repository (the platform add-ons' public repositories). */
export interface RepositoryChartSource {
  /** Chart repository URL (`https://...` or `oci://...`). */
  readonly repository: string;
  readonly chart: string;
  /**
   * Credentials of a private registry (an ECR `oci://` registry): the
   * `aws_ecr_authorization_token` data source's `user_name` and `password`,
   * read at plan time. A literal password is refused. Default: none (a public repository).
   */
  readonly repositoryCredentials?: { readonly username: string; readonly password: string };
  /** The exact chart version (`1.2.3`); ranges, `v` prefixes and `latest` are refused so every plan installs the same chart. */
  readonly version: string;
  readonly localChart?: never;
}

/**
 * A chart folder of this repository, copied beside the synthesized stack: the
 * Helm provider reads it from disk while planning, nothing is downloaded. The
 * release sets no version: Helm installs and records Chart.yaml's.
 */
export interface LocalChartSource {
  readonly localChart: LocalChart;
  readonly repository?: never;
  readonly chart?: never;
  readonly repositoryCredentials?: never;
  readonly version?: never;
}

/** Where the chart comes from: a repository (`repository`, `chart`, `version`) or `localChart`. */
export type HelmChartSource = RepositoryChartSource | LocalChartSource;

export type HelmAddOnProps = HelmAddOnSettings & HelmChartSource;

/** A release's settings besides its chart's source. */
export interface HelmAddOnSettings {
  /** Release name (at most 53 lower-case letters, digits and '-'). */
  readonly name: string;
  /** Namespace of the release. */
  readonly namespace: string;
  /** Whether Helm creates the namespace if it is missing. Default: true (harmless when it exists). */
  readonly createNamespace?: boolean;
  /**
   * Values from the add-on's file under `helm-values/`, parsed by the stack. Default: none.
   * Precedence (later wins): the chart's defaults < these < `computedValues`.
   */
  readonly fileValues?: HelmValues;
  /** Values computed in code (names, ids, ARNs of other layers); they win over `fileValues`. Default: none. */
  readonly computedValues?: HelmValues;
  /** An IAM role for the add-on's service account, with its pod identity association. Default: none. */
  readonly role?: HelmAddOnRoleProps;
  /** Add-ons (or other resources) that must be installed first. Default: none. */
  readonly dependsOn?: readonly (HelmAddOn | ITerraformDependable)[];
  /** Whether Helm skips the chart's `crds/` folder (when CRDs are applied separately). Default: false. */
  readonly skipCrds?: boolean;
  /** Seconds Helm waits for the release's resources to be ready. Default: 600. */
  readonly timeoutSeconds?: number;
  /** Release revisions kept for rollback. Default: 10. */
  readonly maxHistory?: number;
  /** Default: the stack's default Helm provider. */
  readonly provider?: TerraformProvider;
}

const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * One Helm release of a cluster add-on: a pinned chart version from a
 * repository or a chart folder of this repository (`localChart`), values merged
 * from the add-on's values file and computed values and rendered as one YAML
 * document, an optional Pod Identity role for its service account, and
 * declared dependencies. Releases are atomic (a failed install or upgrade is
 * rolled back), clean up on failure and wait for readiness.
 */
export class HelmAddOn extends Construct {
  readonly release: Release;
  readonly releaseName: string;
  readonly namespace: string;
  /** The merged values, as rendered into the release. */
  readonly values: HelmValues;
  /** The one YAML document of `helm_release.values`. */
  readonly valuesYaml: string;
  /** The service account's role, when `role` was given. */
  readonly role?: WorkloadRole;
  /** The version of the chart installed: `version`, or the local chart's Chart.yaml version. */
  readonly chartVersion: string;

  constructor(scope: Construct, id: string, props: HelmAddOnProps) {
    super(scope, id);
    validate(id, props);
    this.releaseName = props.name;
    this.namespace = props.namespace;
    this.values = mergeValues(props.fileValues, props.computedValues);
    this.valuesYaml = renderValuesYaml(this.values);

    const dependsOn: ITerraformDependable[] = (props.dependsOn ?? []).map((d) => (d instanceof HelmAddOn ? d.release : d));
    if (props.role) {
      const { serviceAccount, ...role } = props.role;
      this.role = new WorkloadRole(this, "role", { ...role, namespace: props.namespace, serviceAccount });
      // Pod Identity injects credentials when a pod starts: the association and
      // the permissions must exist before the chart's pods do.
      dependsOn.push(this.role.role);
      if (this.role.association) dependsOn.push(this.role.association);
      const policy = this.role.node.tryFindChild("policy");
      if (policy) dependsOn.push(policy as unknown as ITerraformDependable);
    }

    const source = props.localChart
      ? { chart: props.localChart.path }
      : {
          repository: props.repository,
          chart: props.chart,
          version: props.version,
          repositoryUsername: props.repositoryCredentials?.username,
          repositoryPassword: props.repositoryCredentials?.password,
        };
    this.chartVersion = props.localChart ? props.localChart.version : props.version;
    this.release = new Release(this, "release", {
      name: props.name,
      ...source,
      namespace: props.namespace,
      createNamespace: props.createNamespace ?? true,
      values: [this.valuesYaml],
      atomic: true,
      cleanupOnFail: true,
      wait: true,
      timeout: props.timeoutSeconds ?? 600,
      maxHistory: props.maxHistory ?? 10,
      skipCrds: props.skipCrds ?? false,
      dependsOn: dependsOn.length > 0 ? dependsOn : undefined,
      provider: props.provider,
    });
  }

  /** Makes the release wait for `resources` of this stack (for instance CRDs applied outside Helm). */
  protected installAfter(...resources: TerraformResource[]): void {
    // depends_on takes bare addresses (`type.name`), not the `${...}` a resource's fqn renders to.
    this.release.dependsOn = [...(this.release.dependsOn ?? []), ...resources.map((r) => `${r.terraformResourceType}.${r.friendlyUniqueId}`)];
  }
}

function validate(id: string, props: HelmAddOnProps): void {
  const fail = (msg: string): never => {
    throw new Error(`HelmAddOn ${id}: ${msg}`);
  };
  if (!K8S_NAME.test(props.name) || props.name.length > 53) fail(`name must be at most 53 lower-case letters, digits and '-' (a Helm release name), got "${props.name}"`);
  if (!K8S_NAME.test(props.namespace) || props.namespace.length > 63) fail(`namespace must be a Kubernetes name (lower-case letters, digits, '-'), got "${props.namespace}"`);
  if (props.localChart) {
    const extra = (["repository", "chart", "version", "repositoryCredentials"] as const).filter((k) => (props as unknown as Record<string, unknown>)[k] !== undefined);
    if (extra.length > 0) fail(`give either localChart or repository/chart/version, not both (remove ${extra.join(", ")}): a local chart is installed at its Chart.yaml version`);
  } else {
    if (!SEMVER.test(props.version)) {
      fail(`version must be an exact chart version such as 1.2.3 (no range, "v" prefix or "latest"), got "${props.version}"`);
    }
    if (!/^(https|oci):\/\/\S+$/.test(props.repository)) fail(`repository must be an https:// or oci:// URL, got "${props.repository}"`);
    if (props.chart.trim() === "") fail("chart must not be empty");
    if (props.repositoryCredentials && !Token.isUnresolved(props.repositoryCredentials.password)) {
      fail("repositoryCredentials.password must be a reference read at plan time (e.g. the aws_ecr_authorization_token data source's password), never a literal that would be written into the synthesized JSON");
    }
  }
  if (props.timeoutSeconds !== undefined && !(Number.isInteger(props.timeoutSeconds) && props.timeoutSeconds > 0)) {
    fail(`timeoutSeconds must be a positive whole number of seconds, got ${props.timeoutSeconds}`);
  }
  if (props.maxHistory !== undefined && !(Number.isInteger(props.maxHistory) && props.maxHistory > 0)) {
    fail(`maxHistory must be a positive whole number (0 would keep every revision forever), got ${props.maxHistory}`);
  }
}
