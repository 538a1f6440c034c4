import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { KmsKey } from "../kms-key/kms-key";

export interface DataKeysProps {
  /** Resource name prefix, `<project>-<env>`; aliases are `<prefix>/<purpose>`. */
  readonly prefix: string;
  readonly accountId: string;
  /** The primary region (CloudWatch Logs' service principal is regional). */
  readonly region: string;
  /** Provider of the DR region, where the replica key lives. */
  readonly drProvider: TerraformProvider;
  /** Also a DR-region key for the database's replicated automated backups. Default: false. */
  readonly databaseDrKey?: boolean;
}

/**
 * One customer-managed key per purpose of the data layer: database, cache,
 * buckets, logs (CloudWatch Logs of every later layer) and the DR region's
 * key for replica buckets. RDS, ElastiCache, S3 and Secrets Manager use a key
 * through the calling principal's IAM permissions (grants made on its behalf),
 * so only CloudWatch Logs, which encrypts as itself, is named in a key policy.
 */
export class DataKeys extends Construct {
  readonly database: KmsKey;
  readonly cache: KmsKey;
  readonly buckets: KmsKey;
  readonly logs: KmsKey;
  /** In the DR region: encrypts the replica buckets. */
  readonly dr: KmsKey;
  /** In the DR region: encrypts the replicated automated backups of the database. Only with `databaseDrKey`. */
  readonly drDatabase?: KmsKey;

  constructor(scope: Construct, id: string, props: DataKeysProps) {
    super(scope, id);
    const key = (purpose: string, description: string, extra: Partial<ConstructorParameters<typeof KmsKey>[2]> = {}) =>
      new KmsKey(this, purpose, { alias: `${props.prefix}/${purpose}`, description: `${props.prefix}: ${description}`, accountId: props.accountId, ...extra });

    this.database = key("database", "RDS storage, Performance Insights and the master user secret");
    this.cache = key("cache", "ElastiCache data at rest and snapshots");
    this.buckets = key("buckets", "S3 buckets of the data layer");
    this.logs = key("logs", "CloudWatch log groups of every layer after the network", {
      serviceGrants: [
        {
          sid: "CloudWatchLogsEncryptsLogGroupsOfThisAccount",
          service: `logs.${props.region}.amazonaws.com`,
          actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
          // Only on behalf of this account's log groups in this region.
          condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${props.region}:${props.accountId}:log-group:*` } },
        },
      ],
    });
    this.dr = key("dr-replicas", "replica buckets in the DR region", { provider: props.drProvider });
    // Its own key: who may restore the database in the DR region is not who may read bucket replicas.
    if (props.databaseDrKey) this.drDatabase = key("dr-database", "automated backups of the database replicated to the DR region", { provider: props.drProvider });
  }
}
