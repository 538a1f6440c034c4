import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { ClusterRoleV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-v1";
import { ClusterRoleBindingV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-binding-v1";
import { RoleBindingV1 } from "@cdktf/provider-kubernetes/lib/role-binding-v1";

/** The Kubernetes group the CI plan role's access entry maps to (cluster layer). */
export const PLANNER_GROUP = "upskill:ci-planners";
/** Reads every kind Terraform plans but Secrets. */
export const PLANNER_CLUSTER_ROLE = "upskill:ci-planner";
/** Reads Secrets: bound only in the namespaces where Helm keeps its releases. */
export const RELEASE_READER_CLUSTER_ROLE = "upskill:helm-release-reader";

const READ = ["get", "list", "watch"];
/** The core API's kinds but Secrets (RBAC cannot subtract from `*`). */
const CORE_KINDS = [
  "configmaps", "endpoints", "events", "limitranges", "namespaces", "nodes", "persistentvolumeclaims", "persistentvolumes",
  "pods", "podtemplates", "replicationcontrollers", "resourcequotas", "serviceaccounts", "services",
];
/** API groups whose every kind planning may read (none holds Secrets). */
const READ_GROUPS = [
  "apps", "batch", "autoscaling", "policy", "networking.k8s.io", "storage.k8s.io", "rbac.authorization.k8s.io", "apiextensions.k8s.io",
  "admissionregistration.k8s.io", "scheduling.k8s.io", "coordination.k8s.io", "discovery.k8s.io", "node.k8s.io", "apiregistration.k8s.io",
  "elbv2.k8s.aws", "metrics.k8s.io", "snapshot.storage.k8s.io",
];

export interface PlannerClusterAccessProps {
  /** Namespaces where this layer's Helm releases keep their state (Secrets `sh.helm.release.v1.*`). */
  readonly releaseNamespaces: readonly string[];
  readonly provider?: TerraformProvider;
}

/**
 * What the CI plan role may read in the cluster, by RBAC instead of EKS's
 * AmazonEKSAdminViewPolicy (which reads every Secret of every namespace): every
 * kind but Secrets cluster-wide, and Secrets only in the namespaces where Helm
 * stores the releases Terraform plans (the helm provider reads a release from its
 * Secret). Created by the platform layer (the first layer with a Kubernetes
 * provider); the app layer binds its own namespace with `PlannerReleaseAccess`.
 */
export class PlannerClusterAccess extends Construct {
  constructor(scope: Construct, id: string, props: PlannerClusterAccessProps) {
    super(scope, id);
    const { provider } = props;
    const planner = new ClusterRoleV1(this, "planner", {
      metadata: { name: PLANNER_CLUSTER_ROLE },
      rule: [{ apiGroups: [""], resources: CORE_KINDS, verbs: READ }, { apiGroups: READ_GROUPS, resources: ["*"], verbs: READ }],
      provider,
    });
    new ClusterRoleBindingV1(this, "planner-binding", {
      metadata: { name: PLANNER_CLUSTER_ROLE },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: planner.metadata.name },
      subject: [{ kind: "Group", name: PLANNER_GROUP, apiGroup: "rbac.authorization.k8s.io" }],
      provider,
    });
    new ClusterRoleV1(this, "release-reader", {
      metadata: { name: RELEASE_READER_CLUSTER_ROLE },
      rule: [{ apiGroups: [""], resources: ["secrets"], verbs: READ }],
      provider,
    });
    for (const namespace of props.releaseNamespaces) new PlannerReleaseAccess(this, `releases-${namespace}`, { namespace, provider });
  }
}

/** Lets the CI planners read Helm's release Secrets in one namespace. */
export class PlannerReleaseAccess extends Construct {
  readonly binding: RoleBindingV1;
  constructor(scope: Construct, id: string, props: { readonly namespace: string; readonly provider?: TerraformProvider; readonly dependsOn?: import("cdktf").ITerraformDependable[] }) {
    super(scope, id);
    this.binding = new RoleBindingV1(this, "binding", {
      metadata: { name: "upskill-ci-planners-helm-releases", namespace: props.namespace },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: RELEASE_READER_CLUSTER_ROLE },
      subject: [{ kind: "Group", name: PLANNER_GROUP, apiGroup: "rbac.authorization.k8s.io" }],
      provider: props.provider,
      dependsOn: props.dependsOn,
    });
  }
}
