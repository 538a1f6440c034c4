import { block, fail, pass } from "../helpers";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "eks-node-group-launch-template",
  category: "hardening",
  level: "error",
  description: "Every EKS managed node group runs from a launch template of this code (so IMDSv2 and encrypted volumes apply), and leaves its desired size to the cluster-autoscaler.",
  appliesTo: ["aws_eks_node_group"],
  check(resource) {
    const template = block(resource.config.launch_template);
    if (!template || !(template.id || template.name)) return fail("no launch_template: the nodes get EKS's defaults (IMDSv1 allowed, the AMI's root volume)");
    if (!template.version) return fail("launch_template has no version: updates to the template never reach the nodes");
    const ignored: unknown[] = block(resource.config.lifecycle)?.ignore_changes ?? [];
    if (!Array.isArray(ignored) || !ignored.some((i) => String(i).startsWith("scaling_config"))) {
      return fail("lifecycle.ignore_changes does not cover scaling_config[0].desired_size: every plan would undo the autoscaler");
    }
    return pass("launch template with a pinned version; desired size owned by the autoscaler");
  },
};
