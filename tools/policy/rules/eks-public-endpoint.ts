import { block, fail, list, pass } from "../helpers";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "eks-public-endpoint",
  category: "public exposure",
  level: "error",
  description: "The EKS API endpoint is private, or public only to listed CIDRs (never 0.0.0.0/0).",
  appliesTo: ["aws_eks_cluster"],
  check(cluster) {
    const vpc = block(cluster.config.vpc_config) ?? {};
    if (vpc.endpoint_public_access === false || vpc.endpoint_public_access === "false") return pass("private endpoint only");
    const cidrs = list(vpc.public_access_cidrs).map(String);
    if (cidrs.length === 0) return fail("public endpoint without public_access_cidrs: open to 0.0.0.0/0");
    if (cidrs.some((c) => c === "0.0.0.0/0" || c === "::/0")) return fail(`public endpoint open to ${cidrs.join(", ")}`);
    return pass(`public endpoint restricted to ${cidrs.join(", ")}`);
  },
};
