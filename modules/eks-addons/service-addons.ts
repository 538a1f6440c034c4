import { Construct } from "constructs";
import type { ITerraformDependable, TerraformProvider } from "cdktf";
import { WorkloadRole } from "../workload-role/workload-role";
import { ManagedAddon } from "./managed-addon";


/** The AWS managed policy of the EBS CSI driver's workload role. */
export const EBS_CSI_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy";
export interface ServiceAddonsProps {
  /** The cluster (name or reference to it). */
  readonly clusterName: string;
  /** The cluster's Kubernetes version (reference). */
  readonly kubernetesVersion: string;
  readonly accountId: string;
  /** `<project>-<env>`: names the EBS CSI driver's role `<prefix>-ebs-csi`. */
  readonly namePrefix: string;
  /** The key that encrypts EBS volumes (the storage class's and the nodes'). */
  readonly ebsKmsKeyArn: string;
  /** Pinned versions. Default for each: EKS's default for the cluster's version. */
  readonly versions?: { readonly coredns?: string; readonly ebsCsiDriver?: string; readonly snapshotController?: string };
  /** The node groups: these add-ons run Deployments, which stay degraded until nodes exist. Default: nothing. */
  readonly dependsOn?: readonly ITerraformDependable[];
  /** Default: the stack's default AWS provider. */
  readonly provider?: TerraformProvider;
}

/** Service account of the EBS CSI controller, as the add-on names it. */
export const EBS_CSI_SERVICE_ACCOUNT = "ebs-csi-controller-sa";

/**
 * The add-ons that run Deployments and so are installed once nodes exist:
 * CoreDNS, the EBS CSI driver (its own workload role with AmazonEBSCSIDriverPolicy
 * and the use of the EBS key) and the CSI snapshot controller.
 */
export class ServiceAddons extends Construct {
  readonly coredns: ManagedAddon;
  readonly ebsCsiDriver: ManagedAddon;
  readonly snapshotController: ManagedAddon;
  readonly ebsCsiRole: WorkloadRole;

  constructor(scope: Construct, id: string, props: ServiceAddonsProps) {
    super(scope, id);
    const { clusterName, kubernetesVersion, provider } = props;
    const versions = props.versions ?? {};
    const dependsOn = props.dependsOn;

    this.coredns = new ManagedAddon(this, "coredns", { clusterName, kubernetesVersion, addonName: "coredns", version: versions.coredns, dependsOn, provider });

    this.ebsCsiRole = new WorkloadRole(this, "ebs-csi-role", {
      name: `${props.namePrefix}-ebs-csi`,
      description: "EBS CSI driver controller: creates, attaches and snapshots encrypted volumes",
      clusterName,
      accountId: props.accountId,
      namespace: "kube-system",
      serviceAccount: EBS_CSI_SERVICE_ACCOUNT,
      managedPolicyArns: [EBS_CSI_POLICY],
      // AmazonEBSCSIDriverPolicy does not cover customer-managed keys (EBS CSI driver docs, "KMS encryption").
      statements: [
        {
          Sid: "GrantsForEncryptedVolumes",
          Effect: "Allow",
          Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
          Resource: props.ebsKmsKeyArn,
          Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
        },
        {
          Sid: "UseVolumeKey",
          Effect: "Allow",
          Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
          Resource: props.ebsKmsKeyArn,
        },
      ],
      createAssociation: false, // the add-on's pod_identity_association makes it
      provider,
    });
    this.ebsCsiDriver = new ManagedAddon(this, "aws-ebs-csi-driver", {
      clusterName,
      kubernetesVersion,
      addonName: "aws-ebs-csi-driver",
      version: versions.ebsCsiDriver,
      podIdentity: { serviceAccount: EBS_CSI_SERVICE_ACCOUNT, roleArn: this.ebsCsiRole.roleArn },
      // The node plugin must run on tainted (Spot) nodes too, or their pods cannot mount volumes.
      configuration: { node: { tolerateAllTaints: true } },
      dependsOn,
      provider,
    });
    this.snapshotController = new ManagedAddon(this, "snapshot-controller", {
      clusterName,
      kubernetesVersion,
      addonName: "snapshot-controller",
      version: versions.snapshotController,
      dependsOn,
      provider,
    });
  }
}
