import { Construct } from "constructs";
import { Annotations } from "@cdktf/provider-kubernetes/lib/annotations";
import { DEFAULT_CLASS_ANNOTATION } from "./ebs-storage-class";

export interface NonDefaultStorageClassProps {
  /** An existing StorageClass created outside Terraform (EKS's `gp2`). */
  readonly name: string;
}

/**
 * Marks an existing StorageClass as not the default, so that claims without a
 * class get the one this project manages. Only the annotation is managed
 * (`force` takes it over from whoever set it); the class itself is left alone.
 * The class must exist when this is applied.
 */
export class NonDefaultStorageClass extends Construct {
  readonly annotations: Annotations;

  constructor(scope: Construct, id: string, props: NonDefaultStorageClassProps) {
    super(scope, id);
    this.annotations = new Annotations(this, "annotation", {
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: props.name },
      annotations: { [DEFAULT_CLASS_ANNOTATION]: "false" },
      force: true,
    });
  }
}
