import { blocks, fail, pass, show } from "../helpers";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "ecr-encryption",
  category: "encryption",
  level: "error",
  description: "Every ECR repository encrypts images with a customer-managed KMS key.",
  appliesTo: ["aws_ecr_repository"],
  check(repo) {
    const config = blocks(repo.config.encryption_configuration)[0];
    if (!config || config.encryption_type !== "KMS") return fail(`encryption_type is ${show(config?.encryption_type ?? "AES256 (the default)")}; use KMS`);
    if (!config.kms_key) return fail("KMS without kms_key uses the AWS-managed aws/ecr key; set a customer-managed key");
    return pass(`KMS with ${show(config.kms_key)}`);
  },
};
