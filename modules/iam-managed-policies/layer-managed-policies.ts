import { AGENT_POLICIES } from "../container-insights/container-insights";
import { EBS_CSI_POLICY } from "../eks-addons/service-addons";
import { VPC_CNI_POLICY } from "../eks-addons/node-addons";
import { EKS_CLUSTER_POLICY } from "../eks-cluster/eks-cluster";
import { NODE_MANAGED_POLICIES } from "../node-group/node-role";
import { RDS_MONITORING_POLICY } from "../postgres/monitoring-role";
import { BACKUP_SERVICE_POLICIES } from "../volume-backup/volume-backup";

/**
 * Every AWS managed policy the layers attach to their roles, taken from the
 * modules that attach them: the CI deploy role may attach exactly these (on
 * bounded roles), so a module that attaches a new one extends what CI may do
 * in one place. __tests__/iam/managed-policies.test.ts checks the synthesized
 * app attaches no other and that the deploy role may attach each.
 */
export const LAYER_MANAGED_POLICIES: readonly string[] = [
  EKS_CLUSTER_POLICY,
  ...Object.values(NODE_MANAGED_POLICIES),
  VPC_CNI_POLICY,
  EBS_CSI_POLICY,
  RDS_MONITORING_POLICY,
  ...BACKUP_SERVICE_POLICIES,
  ...AGENT_POLICIES,
].sort();
