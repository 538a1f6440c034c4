/**
 * Availability zones for a primary and its read replicas, spread so that the
 * loss of one AZ leaves a copy elsewhere.
 *
 * - Single-AZ primary: pinned to the first AZ; replicas rotate over the others.
 * - Multi-AZ primary: RDS picks the primary's and the standby's AZs (and swaps
 *   them on failover), so the primary is not pinned and replicas rotate over
 *   every AZ starting with the second.
 */
export interface ReplicaPlacement {
  /** The primary's AZ, or undefined when RDS chooses it (Multi-AZ). */
  readonly primaryAz?: string;
  readonly replicaAzs: readonly string[];
}

export function placeReplicas(availabilityZones: readonly string[], multiAz: boolean, replicaCount: number): ReplicaPlacement {
  if (availabilityZones.length === 0) throw new Error("placeReplicas: give at least one availability zone");
  if (replicaCount > 0 && availabilityZones.length < 2) {
    throw new Error(`placeReplicas: ${replicaCount} read replica(s) need at least 2 availability zones to sit apart from the primary; got ${availabilityZones.join(", ")}`);
  }
  if (multiAz) {
    const n = availabilityZones.length;
    return { replicaAzs: Array.from({ length: replicaCount }, (_, i) => availabilityZones[(i + 1) % n]) };
  }
  const [primaryAz, ...others] = availabilityZones;
  return { primaryAz, replicaAzs: Array.from({ length: replicaCount }, (_, i) => others[i % others.length]) };
}
