import { Construct } from "constructs";
import type { ITerraformDependable, TerraformProvider } from "cdktf";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { DataAwsEksAddonVersion } from "@cdktf/provider-aws/lib/data-aws-eks-addon-version";

export interface ManagedAddonProps {
  /** The cluster (name or reference to it). */
  readonly clusterName: string;
  /** EKS add-on name, e.g. `vpc-cni`. */
  readonly addonName: string;
  /** The cluster's Kubernetes version (reference), which picks the default add-on version. */
  readonly kubernetesVersion: string;
  /**
   * Pinned add-on version, e.g. v1.20.4-eksbuild.1. Default: EKS's default version
   * for the cluster's Kubernetes version (read with `aws_eks_addon_version`), so an
   * upgrade of the cluster moves the add-on along.
   */
  readonly version?: string;
  /** The workload role the add-on's service account runs as, through Pod Identity. Default: none (the add-on needs no AWS access). */
  readonly podIdentity?: { readonly serviceAccount: string; readonly roleArn: string };
  /** The add-on's advanced configuration (its JSON schema: `aws eks describe-addon-configuration`). Default: none. */
  readonly configuration?: Readonly<Record<string, unknown>>;
  /** What the add-on must wait for. Default: nothing but the cluster. */
  readonly dependsOn?: readonly ITerraformDependable[];
  /** Default: the stack's default AWS provider. */
  readonly provider?: TerraformProvider;
}

/**
 * One EKS managed add-on. Conflicting fields (a self-managed copy, an earlier
 * kubectl edit) are overwritten on create and update, so the add-on's state is
 * what this code says.
 */
export class ManagedAddon extends Construct {
  readonly addon: EksAddon;
  /** The version installed: the pin, or EKS's default (reference). */
  readonly version: string;

  constructor(scope: Construct, id: string, props: ManagedAddonProps) {
    super(scope, id);
    const { provider } = props;
    if (props.version !== undefined && !/^v\d+\.\d+\.\d+(-eksbuild\.\d+)?$/.test(props.version)) {
      throw new Error(`ManagedAddon ${id}: version must be an EKS add-on version such as v1.20.4-eksbuild.1, got "${props.version}"`);
    }
    this.version =
      props.version ??
      new DataAwsEksAddonVersion(this, "default-version", {
        addonName: props.addonName,
        kubernetesVersion: props.kubernetesVersion,
        mostRecent: false,
        provider,
      }).version;
    this.addon = new EksAddon(this, "addon", {
      clusterName: props.clusterName,
      addonName: props.addonName,
      addonVersion: this.version,
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      podIdentityAssociation: props.podIdentity ? [{ serviceAccount: props.podIdentity.serviceAccount, roleArn: props.podIdentity.roleArn }] : undefined,
      configurationValues: props.configuration ? JSON.stringify(props.configuration) : undefined,
      dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
      provider,
    });
  }
}
