import { Aspects, LocalBackend, S3Backend, TerraformStack } from "cdktf";
import type { Construct, IConstruct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import type { EnvironmentConfig } from "../config/schema";
import { workloadBoundaryArn } from "../modules/permissions-boundary/permissions-boundary";

/** The layers of one environment, in deploy order. */
export const LAYERS = ["bootstrap", "network", "data", "cluster", "platform", "edge", "app", "observability"] as const;
export type Layer = (typeof LAYERS)[number];

/** Alias (without `alias/`) of the key the bootstrap layer encrypts state with. */
export function stateKeyAlias(environment: EnvironmentConfig): string {
  return `${environment.names.prefix}/tfstate`;
}

/**
 * ARN of the state key's alias: the backends' `kms_key_id`. The key's own ARN holds an id
 * AWS picks at creation, unknown when the backends are written; S3 resolves the alias to
 * the key on every write, and the deploy role may not move or delete the alias.
 */
export function stateKeyAliasArn(environment: EnvironmentConfig): string {
  return `arn:aws:kms:${environment.region}:${environment.accountId}:alias/${stateKeyAlias(environment)}`;
}

export interface LayerStackProps {
  /** The environment's validated configuration. */
  readonly environment: EnvironmentConfig;
}

/**
 * Base of every stack: id `<env>-<layer>`, the AWS provider of the environment's
 * region with `allowed_account_ids` and default tags, aliased providers for the
 * DR region and us-east-1 created on first use, and the state backend (S3 with
 * DynamoDB and S3-native locking; local for the bootstrap layer, which creates
 * the bucket and table).
 */
export abstract class LayerStack extends TerraformStack {
  readonly environment: EnvironmentConfig;
  readonly layer: Layer;
  /** The provider of the environment's primary region (the default provider). */
  readonly provider: AwsProvider;
  private drProviderInstance?: AwsProvider;
  private usEast1ProviderInstance?: AwsProvider;

  protected constructor(scope: Construct, layer: Layer, props: LayerStackProps) {
    super(scope, `${props.environment.name}-${layer}`);
    this.environment = props.environment;
    this.layer = layer;
    this.provider = this.awsProvider("aws", props.environment.region);
    if (layer === "bootstrap") {
      // The bootstrap layer creates the bucket and table the other layers lock with.
      new LocalBackend(this, { path: `terraform.${this.node.id}.tfstate` });
    } else {
      const env = props.environment;
      new S3Backend(this, {
        bucket: env.names.stateBucket,
        key: `${env.name}/${layer}.tfstate`,
        region: env.region,
        encrypt: true,
        // Without it Terraform sends SSE-S3 (AES256) on every write, overriding the bucket's SSE-KMS default.
        kmsKeyId: stateKeyAliasArn(env),
        dynamodbTable: env.names.lockTable,
      });
      // S3-native locking (Terraform >= 1.10). cdktf 0.21's S3Backend lacks the
      // field; both locks are held during the migration away from DynamoDB locking.
      this.addOverride("terraform.backend.s3.use_lockfile", true);
      // CI creates and changes this layer's roles: each carries the environment's boundary.
      const boundary = workloadBoundaryArn(env.accountId, env.names.prefix);
      Aspects.of(this).add({
        visit(node: IConstruct) {
          if (node instanceof IamRole && node.permissionsBoundaryInput === undefined) node.permissionsBoundary = boundary;
        },
      });
    }
  }

  /** Tags every resource of this stack carries (the providers' default_tags). */
  get defaultTags(): Record<string, string> {
    const env = this.environment;
    return { ...env.tags, Project: env.project, Environment: env.name, Layer: this.layer, ManagedBy: "cdktf" };
  }

  /** Provider of the DR region (replica buckets, backup copies); created on first use. */
  get drProvider(): AwsProvider {
    this.drProviderInstance ??= this.awsProvider("dr", this.environment.drRegion);
    return this.drProviderInstance;
  }

  /** Provider of us-east-1 (CloudFront certificates and WAF, their alarms); created on first use. */
  get usEast1Provider(): AwsProvider {
    this.usEast1ProviderInstance ??= this.awsProvider("us_east_1", "us-east-1");
    return this.usEast1ProviderInstance;
  }

  private awsProvider(id: string, region: string): AwsProvider {
    return new AwsProvider(this, id === "aws" ? "aws" : `aws_${id}`, {
      region,
      alias: id === "aws" ? undefined : id,
      allowedAccountIds: [this.environment.accountId],
      defaultTags: [{ tags: this.defaultTags }],
    });
  }
}
