import { NODE_CLASS_LABEL } from "../helm-addon/placement";

/** Where an app service's pods may run, from the node groups' labels and taints. */

/** The node label naming a node group's class (`core`, `spot`); node groups carry it, pods select on it. */
export { NODE_CLASS_LABEL };

/** core: on-demand nodes only; spot: Spot nodes preferred, on-demand (core) nodes allowed when Spot is short. */
export type NodeClass = "core" | "spot";

/** A node group as placement sees it (a structural subset of the cluster's node group settings). */
export interface PlacementNodeGroup {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly { readonly key: string; readonly value?: string; readonly effect: "NO_SCHEDULE" | "NO_EXECUTE" | "PREFER_NO_SCHEDULE" }[];
}

export interface Toleration {
  readonly key: string;
  readonly operator: "Equal" | "Exists";
  readonly value?: string;
  readonly effect: "NoSchedule" | "NoExecute" | "PreferNoSchedule";
}

export interface PodPlacement {
  readonly affinity: { readonly nodeAffinity: Record<string, unknown> };
  readonly tolerations: Toleration[];
}

// The EKS API spells taint effects differently from Kubernetes.
const EFFECTS = { NO_SCHEDULE: "NoSchedule", NO_EXECUTE: "NoExecute", PREFER_NO_SCHEDULE: "PreferNoSchedule" } as const;

/** The node classes a pod of `nodeClass` may run on, preferred first. */
export function allowedNodeClasses(nodeClass: NodeClass): NodeClass[] {
  return nodeClass === "core" ? ["core"] : ["spot", "core"];
}

/**
 * Node affinity and tolerations for a service's pods: required to run on the
 * node groups of the allowed classes (`NODE_CLASS_LABEL`), preferring its own
 * class, and tolerating exactly the taints of those node groups (the Spot
 * group's `upskill.io/spot=true:NoSchedule`, for instance). Throws when no
 * node group carries the class, since the pods could never be scheduled.
 */
export function podPlacement(nodeClass: NodeClass, nodeGroups: readonly PlacementNodeGroup[]): PodPlacement {
  const classes = allowedNodeClasses(nodeClass);
  if (!nodeGroups.some((g) => g.labels[NODE_CLASS_LABEL] === nodeClass)) {
    throw new Error(`podPlacement: no node group is labelled ${NODE_CLASS_LABEL}: ${nodeClass}, so pods of that class could never be scheduled; label one (cluster.nodeGroups[].labels)`);
  }
  const groups = nodeGroups.filter((g) => classes.includes(g.labels[NODE_CLASS_LABEL] as NodeClass));
  const seen = new Set<string>();
  const tolerations: Toleration[] = [];
  for (const t of groups.flatMap((g) => g.taints)) {
    const toleration: Toleration =
      t.value === undefined
        ? { key: t.key, operator: "Exists", effect: EFFECTS[t.effect] }
        : { key: t.key, operator: "Equal", value: t.value, effect: EFFECTS[t.effect] };
    const id = JSON.stringify(toleration);
    if (!seen.has(id)) {
      seen.add(id);
      tolerations.push(toleration);
    }
  }
  const nodeAffinity: Record<string, unknown> = {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [{ matchExpressions: [{ key: NODE_CLASS_LABEL, operator: "In", values: classes }] }],
    },
  };
  if (classes.length > 1) {
    nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution = [
      { weight: 100, preference: { matchExpressions: [{ key: NODE_CLASS_LABEL, operator: "In", values: [nodeClass] }] } },
    ];
  }
  return { affinity: { nodeAffinity }, tolerations };
}
