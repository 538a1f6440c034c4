import { Testing } from "cdktf";
import { ElasticacheReservedCacheNode } from "@cdktf/provider-aws/lib/elasticache-reserved-cache-node";
import { RdsReservedInstance } from "@cdktf/provider-aws/lib/rds-reserved-instance";
import { Reservations, type ReservationsProps } from "../../modules/reservations/reservations";

const build = (props: Partial<ReservationsProps>) =>
  Testing.synthScope((scope) => {
    new Reservations(scope, "reservations", { prefix: "upskill-prod", ...props });
  });

describe("Reservations", () => {
  test("none by default", () => {
    expect(JSON.parse(build({})).resource).toBeUndefined();
  });

  test("buys confirmed RDS and ElastiCache reservations", () => {
    const synth = build({
      rds: [{ name: "primary", offeringId: "rds-offering", count: 2, confirm: true }],
      elasticache: [{ name: "cache", offeringId: "cache-offering", count: 3, confirm: true }],
    });
    expect(synth).toHaveResourceWithProperties(RdsReservedInstance, { offering_id: "rds-offering", instance_count: 2, reservation_id: "upskill-prod-primary" });
    expect(synth).toHaveResourceWithProperties(ElasticacheReservedCacheNode, { reserved_cache_nodes_offering_id: "cache-offering", cache_node_count: 3, id: "upskill-prod-cache" });
  });

  test("refuses an unconfirmed purchase", () => {
    expect(() => build({ rds: [{ name: "primary", offeringId: "x", count: 1, confirm: false }] })).toThrow(/rds\[0\] \(primary\) is not confirmed; set confirm: true/);
    expect(() => build({ elasticache: [{ name: "c", offeringId: "x", count: 0, confirm: true }] })).toThrow(/count must be a positive integer/);
  });
});
