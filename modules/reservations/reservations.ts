import { Construct } from "constructs";
import { ElasticacheReservedCacheNode } from "@cdktf/provider-aws/lib/elasticache-reserved-cache-node";
import { RdsReservedInstance } from "@cdktf/provider-aws/lib/rds-reserved-instance";

/** One purchase of reserved capacity. */
export interface ReservationRequest {
  /** Names the reservation `<prefix>-<name>`. */
  readonly name: string;
  /** The offering to buy (`aws rds describe-reserved-db-instances-offerings`, `aws elasticache describe-reserved-cache-nodes-offerings`). */
  readonly offeringId: string;
  /** Instances (RDS) or nodes (ElastiCache) reserved. */
  readonly count: number;
  /** Must be true: applying buys the reservation, and it cannot be cancelled. */
  readonly confirm: boolean;
}

export interface ReservationsProps {
  readonly prefix: string;
  /** Default: none. */
  readonly rds?: readonly ReservationRequest[];
  /** Default: none. */
  readonly elasticache?: readonly ReservationRequest[];
}

/**
 * Reserved RDS instances and ElastiCache nodes. Each is a non-refundable
 * purchase made when Terraform applies it (destroying only forgets it), so
 * every request must carry `confirm: true`.
 */
export class Reservations extends Construct {
  readonly rdsReservationIds: string[];
  readonly elasticacheReservationIds: string[];

  constructor(scope: Construct, id: string, props: ReservationsProps) {
    super(scope, id);
    for (const [kind, list] of [["rds", props.rds ?? []], ["elasticache", props.elasticache ?? []]] as const) {
      list.forEach((r, i) => {
        if (r.confirm !== true) throw new Error(`Reservations ${id}: ${kind}[${i}] (${r.name}) is not confirmed; set confirm: true to buy it (a reservation is a non-refundable purchase)`);
        if (!Number.isInteger(r.count) || r.count < 1) throw new Error(`Reservations ${id}: ${kind}[${i}] (${r.name}) count must be a positive integer, got ${r.count}`);
      });
    }
    this.rdsReservationIds = (props.rds ?? []).map(
      (r) => new RdsReservedInstance(this, `rds-${r.name}`, { offeringId: r.offeringId, instanceCount: r.count, reservationId: `${props.prefix}-${r.name}` }).reservationId,
    );
    this.elasticacheReservationIds = (props.elasticache ?? []).map(
      (r) => new ElasticacheReservedCacheNode(this, `elasticache-${r.name}`, { reservedCacheNodesOfferingId: r.offeringId, cacheNodeCount: r.count, id: `${props.prefix}-${r.name}` }).id,
    );
  }
}
