import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { EcrRepository as EcrRepositoryResource } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { ecrLifecycleRules } from "./lifecycle-policy";

export interface EcrRepositoryProps {
  /** Repository name, e.g. `upskill-prod/api` or `upskill-prod/charts/upskill-api` for a Helm chart. */
  readonly name: string;
  /** Customer-managed key encrypting the repository's images. */
  readonly kmsKeyArn: string;
  /** Images kept, newest first; older ones expire. */
  readonly keepImages: number;
  /** Days after which an untagged image expires. Default: 14. */
  readonly untaggedExpiryDays?: number;
  /** Default: the stack's default AWS provider. */
  readonly provider?: TerraformProvider;
}

// ECR: 2-256 characters, lower-case path components separated by '/'.
const REPOSITORY_NAME = /^(?=.{2,256}$)[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;

/**
 * A private ECR repository for one image (or one OCI Helm chart): immutable
 * tags, scan on push, KMS encryption with a customer-managed key, a lifecycle
 * policy that keeps the newest images and expires untagged ones, never
 * force-deleted and protected from `terraform destroy`.
 */
export class EcrRepository extends Construct {
  readonly repositoryName: string;
  readonly repositoryArn: string;
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<name>`: what `docker push` / `helm push` address. */
  readonly repositoryUrl: string;
  readonly registryId: string;
  readonly repository: EcrRepositoryResource;

  constructor(scope: Construct, id: string, props: EcrRepositoryProps) {
    super(scope, id);
    const untaggedDays = props.untaggedExpiryDays ?? 14;
    validate(id, props, untaggedDays);
    this.repository = new EcrRepositoryResource(this, "repository", {
      name: props.name,
      // A tag always names the same image, so a deployed version cannot change under the cluster.
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: props.kmsKeyArn }],
      forceDelete: false,
      provider: props.provider,
      lifecycle: { preventDestroy: true },
    });
    new EcrLifecyclePolicy(this, "lifecycle", {
      repository: this.repository.name,
      policy: JSON.stringify({ rules: ecrLifecycleRules(props.keepImages, untaggedDays) }),
      provider: props.provider,
    });
    this.repositoryName = this.repository.name;
    this.repositoryArn = this.repository.arn;
    this.repositoryUrl = this.repository.repositoryUrl;
    this.registryId = this.repository.registryId;
  }
}

function validate(id: string, props: EcrRepositoryProps, untaggedDays: number): void {
  const fail = (msg: string): never => {
    throw new Error(`EcrRepository ${id}: ${msg}`);
  };
  if (!REPOSITORY_NAME.test(props.name)) {
    fail(`name "${props.name}" must be 2-256 lower-case letters, digits and . _ - in '/'-separated components, each starting and ending with a letter or digit`);
  }
  if (!Number.isInteger(props.keepImages) || props.keepImages < 1) fail(`keepImages must be a whole number of at least 1, got ${props.keepImages}`);
  if (!Number.isInteger(untaggedDays) || untaggedDays < 1) fail(`untaggedExpiryDays must be a whole number of at least 1, got ${untaggedDays}`);
}
