import { fail, list, pass } from "../helpers";
import type { Rule } from "../types";

export const CONTROL_PLANE_LOGS = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

export const rule: Rule = {
  id: "eks-control-plane-logs",
  category: "logging",
  level: "error",
  description: "EKS clusters send every control-plane log type (api, audit, authenticator, controllerManager, scheduler) to CloudWatch.",
  appliesTo: ["aws_eks_cluster"],
  check(cluster) {
    const enabled = list(cluster.config.enabled_cluster_log_types).map(String);
    const missing = CONTROL_PLANE_LOGS.filter((t) => !enabled.includes(t));
    return missing.length > 0 ? fail(`control-plane logs off: ${missing.join(", ")}`) : pass("every control-plane log type");
  },
};
