import { block, blocks, fail, list, pass, show } from "../helpers";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "eks-secrets-encryption",
  category: "encryption",
  level: "error",
  description: "Kubernetes secrets are envelope-encrypted with a customer-managed KMS key.",
  appliesTo: ["aws_eks_cluster"],
  check(cluster) {
    const config = blocks(cluster.config.encryption_config).find((e) => list(e.resources).includes("secrets"));
    const key = block(config?.provider)?.key_arn;
    if (!config) return fail('no encryption_config for resources ["secrets"]');
    if (!key) return fail("encryption_config has no provider.key_arn");
    return pass(`secrets encrypted with ${show(key)}`);
  },
};
