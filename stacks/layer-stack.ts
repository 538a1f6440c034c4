import { LocalBackend, S3Backend, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { EnvironmentConfig } from "../config/schema";

/** The layers of one environment, in deploy order. */
export const LAYERS = ["bootstrap", "network", "data", "cluster", "platform", "edge", "app", "observability"] as const;
export type Layer = (typeof LAYERS)[number];

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
        dynamodbTable: env.names.lockTable,
      });
      // S3-native locking (Terraform >= 1.10). cdktf 0.21's S3Backend lacks the
      // field; both locks are held during the migration away from DynamoDB locking.
      this.addOverride("terraform.backend.s3.use_lockfile", true);
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
