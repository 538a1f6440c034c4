import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { ElasticacheReservedCacheNode } from "@cdktf/provider-aws/lib/elasticache-reserved-cache-node";
import { RdsReservedInstance } from "@cdktf/provider-aws/lib/rds-reserved-instance";
import { DataAwsRdsReservedInstanceOffering } from "@cdktf/provider-aws/lib/data-aws-rds-reserved-instance-offering";
import { DataAwsElasticacheReservedCacheNodeOffering } from "@cdktf/provider-aws/lib/data-aws-elasticache-reserved-cache-node-offering";

export type PaymentOption = "No Upfront" | "Partial Upfront" | "All Upfront";

/** How long and how paid: what an offering is chosen by besides the instance. */
export interface ReservationTerm {
  readonly termYears: 1 | 3;
  readonly payment: PaymentOption;
  /** Buy it when Terraform applies (a purchase cannot be undone). false: only look the offering up and show it. */
  readonly confirm: boolean;
}

/** Reserved RDS instances of one kind (the primary, or the replicas). */
export interface RdsReservation extends ReservationTerm {
  /** Names the reservation `<prefix>-<name>`. */
  readonly name: string;
  readonly instanceClass: string;
  readonly multiAz: boolean;
  /** RDS's product description, e.g. `postgresql`. */
  readonly engine: string;
  readonly count: number;
}

/** Reserved ElastiCache nodes. */
export interface CacheReservation extends ReservationTerm {
  readonly name: string;
  readonly nodeType: string;
  /** `redis` or `valkey`. */
  readonly engine: string;
  readonly count: number;
}

export interface ReservationsProps {
  readonly prefix: string;
  /** Default: none. */
  readonly rds?: readonly RdsReservation[];
  /** Default: none. */
  readonly elasticache?: readonly CacheReservation[];
}

/**
 * Reserved RDS instances and ElastiCache nodes, derived from what is configured: the offering is
 * found at plan time (`aws_rds_reserved_instance_offering`, `aws_elasticache_reserved_cache_node_offering`)
 * from the instance class or node type, Multi-AZ, engine, term and payment option, so no offering id
 * is copied by hand. Only a reservation with `confirm: true` is bought (a non-refundable purchase;
 * destroying only forgets it); the others are looked up and listed in the `reservations` output, so
 * a plan shows what would be bought and at what price.
 */
export class Reservations extends Construct {
  readonly rdsReservationIds: string[] = [];
  readonly elasticacheReservationIds: string[] = [];

  constructor(scope: Construct, id: string, props: ReservationsProps) {
    super(scope, id);
    const all = [...(props.rds ?? []), ...(props.elasticache ?? [])];
    all.forEach((r) => {
      if (!Number.isInteger(r.count) || r.count < 1) throw new Error(`Reservations ${id}: ${r.name}: count must be a positive integer, got ${r.count}`);
      if (r.termYears !== 1 && r.termYears !== 3) throw new Error(`Reservations ${id}: ${r.name}: termYears must be 1 or 3, got ${r.termYears}`);
    });
    const names = all.map((r) => r.name);
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice) throw new Error(`Reservations ${id}: the name ${twice} is used twice`);

    const shown: Record<string, Record<string, unknown>> = {};
    for (const r of props.rds ?? []) {
      const offering = new DataAwsRdsReservedInstanceOffering(this, `rds-${r.name}-offering`, {
        dbInstanceClass: r.instanceClass,
        duration: r.termYears,
        multiAz: r.multiAz,
        offeringType: r.payment,
        productDescription: r.engine,
      });
      shown[`rds-${r.name}`] = { offering_id: offering.offeringId, count: r.count, fixed_price: offering.fixedPrice, currency: offering.currencyCode, bought: r.confirm };
      if (r.confirm) {
        this.rdsReservationIds.push(
          new RdsReservedInstance(this, `rds-${r.name}`, { offeringId: offering.offeringId, instanceCount: r.count, reservationId: `${props.prefix}-${r.name}` }).reservationId,
        );
      }
    }
    for (const r of props.elasticache ?? []) {
      const offering = new DataAwsElasticacheReservedCacheNodeOffering(this, `elasticache-${r.name}-offering`, {
        cacheNodeType: r.nodeType,
        duration: `P${r.termYears}Y`,
        offeringType: r.payment,
        productDescription: r.engine,
      });
      shown[`elasticache-${r.name}`] = { offering_id: offering.offeringId, count: r.count, fixed_price: offering.fixedPrice, bought: r.confirm };
      if (r.confirm) {
        this.elasticacheReservationIds.push(
          new ElasticacheReservedCacheNode(this, `elasticache-${r.name}`, { reservedCacheNodesOfferingId: offering.offeringId, cacheNodeCount: r.count, id: `${props.prefix}-${r.name}` }).id,
        );
      }
    }
    if (all.length > 0) {
      new TerraformOutput(this, "reservations", {
        value: shown,
        description: "Reserved capacity derived from config: the offering each reservation resolves to, its count and price; bought only where config says confirm: true",
      });
    }
  }
}
