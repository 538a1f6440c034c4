import { fail, isTrue, pass, show } from "../helpers";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "rds-storage-encrypted",
  category: "encryption",
  level: "error",
  description: "Database storage is encrypted with a customer-managed KMS key (replicas inherit their source's).",
  appliesTo: ["aws_db_instance", "aws_rds_cluster"],
  check(db) {
    const c = db.config;
    if (c.replicate_source_db || c.replication_source_identifier) {
      if (c.storage_encrypted === false || c.storage_encrypted === "false") return fail("a replica with storage_encrypted = false");
      return pass(`replica: encrypted like its source${c.kms_key_id ? ` (${show(c.kms_key_id)})` : ""}`);
    }
    if (!isTrue(c.storage_encrypted)) return fail("storage_encrypted is not true");
    if (!c.kms_key_id) return fail("storage_encrypted without kms_key_id uses the AWS-managed aws/rds key; set a customer-managed key");
    return pass(`encrypted with ${show(c.kms_key_id)}`);
  },
};
