import { Testing } from "cdktf";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import { Annotations } from "@cdktf/provider-kubernetes/lib/annotations";
import { EbsStorageClass, type EbsStorageClassProps } from "../../modules/storage-class/ebs-storage-class";
import { NonDefaultStorageClass } from "../../modules/storage-class/non-default-storage-class";

const KEY = "arn:aws:kms:eu-west-1:111111111111:key/0a1b2c3d-1111-2222-3333-444455556666";
const BASE: EbsStorageClassProps = { name: "gp3-encrypted", kmsKeyArn: KEY, volumeTags: { "upskill.io/backup": "upskill-dev-volumes" } };

function synthClass(props: Partial<EbsStorageClassProps> = {}) {
  return Testing.synthScope((scope) => {
    new EbsStorageClass(scope, "sc", { ...BASE, ...props });
  });
}

describe("EbsStorageClass", () => {
  test("defaults: the default class, gp3 encrypted with the key, tagged, WaitForFirstConsumer, expandable, retained", () => {
    expect(synthClass()).toHaveResourceWithProperties(StorageClassV1, {
      metadata: { name: "gp3-encrypted", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
      storage_provisioner: "ebs.csi.aws.com",
      parameters: { type: "gp3", encrypted: "true", kmsKeyId: KEY, tagSpecification_1: "upskill.io/backup=upskill-dev-volumes" },
      volume_binding_mode: "WaitForFirstConsumer",
      allow_volume_expansion: true,
      reclaim_policy: "Retain",
    });
  });

  test("options: not default, Delete, another type, several tags numbered from 1", () => {
    const json = JSON.parse(synthClass({ isDefault: false, reclaimPolicy: "Delete", volumeType: "io2", volumeTags: { a: "1", b: "2" } }));
    const sc = Object.values<any>(json.resource.kubernetes_storage_class_v1)[0];
    expect(sc.metadata.annotations).toEqual({ "storageclass.kubernetes.io/is-default-class": "false" });
    expect(sc.reclaim_policy).toBe("Delete");
    expect(sc.parameters).toEqual({ type: "io2", encrypted: "true", kmsKeyId: KEY, tagSpecification_1: "a=1", tagSpecification_2: "b=2" });
  });

  test("refuses a key that is not a KMS key ARN and a tag key with '='", () => {
    expect(() => synthClass({ kmsKeyArn: "alias/aws/ebs" })).toThrow(/EbsStorageClass sc: kmsKeyArn must be a KMS key ARN/);
    expect(() => synthClass({ volumeTags: { "a=b": "c" } })).toThrow(`EbsStorageClass sc: volume tag key "a=b" must be non-empty and hold no '='`);
  });
});

describe("NonDefaultStorageClass", () => {
  test("forces the default-class annotation of an existing class to false", () => {
    const synth = Testing.synthScope((scope) => {
      new NonDefaultStorageClass(scope, "gp2", { name: "gp2" });
    });
    expect(synth).toHaveResourceWithProperties(Annotations, {
      api_version: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: "gp2" },
      annotations: { "storageclass.kubernetes.io/is-default-class": "false" },
      force: true,
    });
  });
});
