import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";

export interface StateLockTableProps {
  /** The table's name (the S3 backend's `dynamodb_table`). */
  readonly tableName: string;
  /** Customer-managed key the table is encrypted with. */
  readonly kmsKeyArn: string;
  /** Default: the stack's default AWS provider. */
  readonly provider?: TerraformProvider;
}

/**
 * Terraform's DynamoDB lock table: `LockID` string hash key (the name the S3
 * backend expects), on-demand billing, point-in-time recovery, encryption with a
 * customer-managed key, deletion protection and `prevent_destroy`.
 * (DynamoDB locking is deprecated from Terraform 1.11 in favour of S3-native lock
 * files; the backend holds both locks during the migration.)
 */
export class StateLockTable extends Construct {
  readonly table: DynamodbTable;
  readonly tableName: string;
  readonly tableArn: string;

  constructor(scope: Construct, id: string, props: StateLockTableProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9_.-]{3,255}$/.test(props.tableName)) {
      throw new Error(`StateLockTable ${id}: tableName "${props.tableName}" must be 3-255 letters, digits, '_', '-' or '.'`);
    }
    if (!props.kmsKeyArn) throw new Error(`StateLockTable ${id}: give kmsKeyArn, the customer-managed key that encrypts the table`);
    this.table = new DynamodbTable(this, "table", {
      name: props.tableName,
      billingMode: "PAY_PER_REQUEST",
      hashKey: "LockID",
      attribute: [{ name: "LockID", type: "S" }],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: props.kmsKeyArn },
      deletionProtectionEnabled: true,
      provider: props.provider,
      lifecycle: { preventDestroy: true },
    });
    this.tableName = this.table.name;
    this.tableArn = this.table.arn;
  }
}
