import { Construct } from "constructs";
import { Token } from "cdktf";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";

export interface EbsStorageClassProps {
  /** StorageClass name. */
  readonly name: string;
  /** The customer-managed KMS key (ARN) that encrypts every volume of the class. */
  readonly kmsKeyArn: string;
  /** Tags the EBS CSI driver puts on each volume (e.g. the one a backup plan selects). Default: none. */
  readonly volumeTags?: Readonly<Record<string, string>>;
  /** Whether the class is the cluster's default. Default: true. */
  readonly isDefault?: boolean;
  /** What happens to a volume when its claim is deleted. Default: "Retain" (data outlives a mistaken delete). */
  readonly reclaimPolicy?: "Retain" | "Delete";
  /** EBS volume type. Default: "gp3". */
  readonly volumeType?: "gp3" | "io2" | "io1" | "st1" | "sc1";
}

/** The EBS CSI driver's provisioner name. */
export const EBS_CSI_PROVISIONER = "ebs.csi.aws.com";
export const DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";

/**
 * A StorageClass of the EBS CSI driver: KMS-encrypted volumes, tagged for
 * backups, created in the zone of the first pod that uses them
 * (WaitForFirstConsumer), expandable, retained by default.
 */
export class EbsStorageClass extends Construct {
  readonly storageClass: StorageClassV1;
  readonly name: string;

  constructor(scope: Construct, id: string, props: EbsStorageClassProps) {
    super(scope, id);
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(props.name) || props.name.length > 253) {
      throw new Error(`EbsStorageClass ${id}: name must be a Kubernetes name (lower-case letters, digits, '-', '.'), got "${props.name}"`);
    }
    if (!Token.isUnresolved(props.kmsKeyArn) && !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/.test(props.kmsKeyArn)) {
      throw new Error(`EbsStorageClass ${id}: kmsKeyArn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), got "${props.kmsKeyArn}"`);
    }
    const tags = Object.entries(props.volumeTags ?? {});
    for (const [k, v] of tags) {
      // The driver parses tagSpecification_N as key=value.
      if (k.includes("=") || k.trim() === "") throw new Error(`EbsStorageClass ${id}: volume tag key "${k}" must be non-empty and hold no '='`);
      if (Token.isUnresolved(k) || Token.isUnresolved(v)) throw new Error(`EbsStorageClass ${id}: volume tags must be literal`);
    }
    this.name = props.name;
    this.storageClass = new StorageClassV1(this, "class", {
      metadata: {
        name: props.name,
        annotations: { [DEFAULT_CLASS_ANNOTATION]: String(props.isDefault ?? true) },
      },
      storageProvisioner: EBS_CSI_PROVISIONER,
      parameters: {
        type: props.volumeType ?? "gp3",
        encrypted: "true",
        kmsKeyId: props.kmsKeyArn,
        ...Object.fromEntries(tags.map(([k, v], i) => [`tagSpecification_${i + 1}`, `${k}=${v}`])),
      },
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
      reclaimPolicy: props.reclaimPolicy ?? "Retain",
    });
  }
}
