/**
 * Resource types whose destruction loses data or something that cannot be
 * recreated as it was. Shared by the plan guard (a plan must not destroy or
 * replace them without an explicit override) and the policy rules (the ones
 * marked `preventDestroy` must carry `lifecycle.prevent_destroy`).
 *
 * `prevent_destroy` alone is not enough: when a resource's block is removed
 * from the code, its lifecycle goes with it and Terraform plans a plain
 * delete. The plan guard is the net for that case.
 */
export interface StatefulType {
  /** What is lost when the resource is destroyed (printed by the guard). */
  readonly loses: string;
  /** The architecture's data baseline requires `lifecycle.prevent_destroy` on it. */
  readonly preventDestroy: boolean;
}

export const STATEFUL_TYPES: Readonly<Record<string, StatefulType>> = {
  aws_db_instance: { loses: "the database and its automated backups", preventDestroy: true },
  aws_rds_cluster: { loses: "the cluster volume and its automated backups", preventDestroy: true },
  aws_elasticache_replication_group: { loses: "the cache's data", preventDestroy: true },
  aws_elasticache_cluster: { loses: "the cache node's data", preventDestroy: true },
  aws_elasticache_serverless_cache: { loses: "the cache's data", preventDestroy: true },
  aws_memorydb_cluster: { loses: "the durable in-memory database", preventDestroy: true },
  aws_opensearch_domain: { loses: "the search indices", preventDestroy: true },
  aws_docdb_cluster: { loses: "the document database", preventDestroy: true },
  aws_redshift_cluster: { loses: "the warehouse", preventDestroy: true },
  aws_s3_bucket: { loses: "every object and version in the bucket", preventDestroy: true },
  aws_kms_key: { loses: "the key (scheduled for deletion): everything encrypted with it becomes unreadable", preventDestroy: true },
  aws_dynamodb_table: { loses: "the table's items (for the lock table: the state locks)", preventDestroy: true },
  aws_eks_cluster: { loses: "the cluster, its workloads and everything stored in etcd", preventDestroy: true },
  aws_backup_vault: { loses: "the recovery points it holds", preventDestroy: true },
  aws_efs_file_system: { loses: "the file system's files", preventDestroy: true },
  aws_ebs_volume: { loses: "the volume's data", preventDestroy: true },
  // The zone's records and, for a public zone, its name servers: a new zone gets new ones, so
  // the parent's delegation (and every certificate's validation) breaks until redone by hand.
  aws_route53_zone: { loses: "every record of the zone and its name servers (the parent zone's delegation points at them)", preventDestroy: true },
  aws_secretsmanager_secret: { loses: "the secret's value and versions (after the recovery window)", preventDestroy: false },
  aws_ecr_repository: { loses: "every image in the repository", preventDestroy: false },
  // Logs are evidence (flow logs, EKS audit logs, database logs): deleting a
  // log group deletes them irreversibly. A rename is a replacement, so the
  // override label is the way through for a deliberate one.
  aws_cloudwatch_log_group: { loses: "the log events it holds (audit evidence)", preventDestroy: false },
};

/** Whether destroying a resource of this type loses data. */
export function isStateful(type: string): boolean {
  return Object.prototype.hasOwnProperty.call(STATEFUL_TYPES, type);
}
