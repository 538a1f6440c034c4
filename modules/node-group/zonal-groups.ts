/**
 * Config keeps one node group per class; the cluster runs one managed node group per AZ of a
 * zonal class. The cluster autoscaler models a new node of a group from the group's first AZ
 * only, so a pod bound to a volume in another AZ, or held by a DoNotSchedule zone spread, never
 * triggers a scale-up of a group spanning several AZs; one group per AZ, balanced by
 * `--balance-similar-node-groups`, is upstream's answer (cluster-autoscaler FAQ, AWS README).
 */

/** The fields of a configured node group the expansion reads. */
export interface NodeClassConfig {
  readonly name: string;
  /** One group per AZ (default) or one group over all of `availabilityZones`. */
  readonly zonal: boolean;
  /** Default: every AZ of the environment. */
  readonly availabilityZones?: readonly string[];
}

/** One managed node group the cluster layer makes. */
export interface ExpandedNodeGroup<T extends NodeClassConfig> {
  readonly config: T;
  /** Construct id: `node-group-<class>-<az>` (zonal) or `node-group-<class>`. */
  readonly id: string;
  /** `<cluster>-<class>-<az>` or `<cluster>-<class>`. */
  readonly name: string;
  /** The AZs it spans (one for a zonal group) and their index among the environment's AZs (the subnets' order). */
  readonly availabilityZones: readonly string[];
  readonly subnetIndexes: readonly number[];
  /**
   * The construct id the class had when it was one group over every AZ (`node-group-<class>`): the
   * first AZ's group takes its state with `moved` blocks, so the upgrade replaces it (new name and
   * subnets) instead of destroying it and creating another. Undefined for the other groups.
   */
  readonly previousId?: string;
}

export function expandNodeGroups<T extends NodeClassConfig>(groups: readonly T[], environmentAzs: readonly string[], clusterName: string): ExpandedNodeGroup<T>[] {
  return groups.flatMap((g) => {
    const azs = g.availabilityZones ?? environmentAzs;
    const indexes = azs.map((az) => environmentAzs.indexOf(az));
    if (azs.length === 0 || indexes.some((i) => i < 0)) {
      throw new Error(`node group ${g.name}: availabilityZones must name at least one of the environment's AZs (${environmentAzs.join(", ")}), got [${azs.join(", ")}]`);
    }
    if (!g.zonal) return [{ config: g, id: `node-group-${g.name}`, name: `${clusterName}-${g.name}`, availabilityZones: azs, subnetIndexes: indexes }];
    return azs.map((az, i) => ({
      config: g,
      id: `node-group-${g.name}-${az}`,
      name: `${clusterName}-${g.name}-${az}`,
      availabilityZones: [az],
      subnetIndexes: [indexes[i]!],
      ...(i === 0 ? { previousId: `node-group-${g.name}` } : {}),
    }));
  });
}
