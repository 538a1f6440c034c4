import { Testing } from "cdktf";
import { ElasticacheReservedCacheNode } from "@cdktf/provider-aws/lib/elasticache-reserved-cache-node";
import { RdsReservedInstance } from "@cdktf/provider-aws/lib/rds-reserved-instance";
import { Reservations, type CacheReservation, type RdsReservation, type ReservationsProps } from "../../modules/reservations/reservations";

const build = (props: Partial<ReservationsProps>) =>
  Testing.synthScope((scope) => {
    new Reservations(scope, "reservations", { prefix: "upskill-prod", ...props });
  });

const RDS: RdsReservation = { name: "postgres-primary", instanceClass: "db.r7g.large", multiAz: true, engine: "postgresql", count: 1, termYears: 1, payment: "No Upfront", confirm: true };
const CACHE: CacheReservation = { name: "cache", nodeType: "cache.r7g.large", engine: "redis", count: 3, termYears: 3, payment: "All Upfront", confirm: true };

describe("Reservations", () => {
  test("none by default", () => {
    const json = JSON.parse(build({}));
    expect(json.resource).toBeUndefined();
    expect(json.data).toBeUndefined();
  });

  test("the offering is found at plan time from the instance class, Multi-AZ, engine, term and payment (no hand-copied id)", () => {
    const json = JSON.parse(build({ rds: [RDS], elasticache: [CACHE] }));
    expect(Object.values<any>(json.data.aws_rds_reserved_instance_offering)).toEqual([
      { db_instance_class: "db.r7g.large", duration: 1, multi_az: true, offering_type: "No Upfront", product_description: "postgresql" },
    ]);
    expect(Object.values<any>(json.data.aws_elasticache_reserved_cache_node_offering)).toEqual([
      { cache_node_type: "cache.r7g.large", duration: "P3Y", offering_type: "All Upfront", product_description: "redis" },
    ]);
  });

  test("buys confirmed reservations of the offerings found, with the configured counts", () => {
    const synth = build({ rds: [RDS], elasticache: [CACHE] });
    const json = JSON.parse(synth);
    const rdsOffering = Object.keys(json.data.aws_rds_reserved_instance_offering)[0];
    const cacheOffering = Object.keys(json.data.aws_elasticache_reserved_cache_node_offering)[0];
    expect(synth).toHaveResourceWithProperties(RdsReservedInstance, { offering_id: `\${data.aws_rds_reserved_instance_offering.${rdsOffering}.offering_id}`, instance_count: 1, reservation_id: "upskill-prod-postgres-primary" });
    expect(synth).toHaveResourceWithProperties(ElasticacheReservedCacheNode, { reserved_cache_nodes_offering_id: `\${data.aws_elasticache_reserved_cache_node_offering.${cacheOffering}.offering_id}`, cache_node_count: 3, id: "upskill-prod-cache" });
  });

  test("an unconfirmed reservation is looked up and shown in the output, never bought", () => {
    const json = JSON.parse(build({ rds: [{ ...RDS, confirm: false }] }));
    expect(json.resource).toBeUndefined();
    expect(Object.keys(json.data.aws_rds_reserved_instance_offering)).toHaveLength(1);
    const output = Object.values<any>(json.output)[0];
    expect(output.value["rds-postgres-primary"]).toMatchObject({ count: 1, bought: false, offering_id: expect.stringContaining("offering_id") });
  });

  test("refuses a bad count, term or a name used twice", () => {
    expect(() => build({ elasticache: [{ ...CACHE, count: 0 }] })).toThrow(/count must be a positive integer/);
    expect(() => build({ rds: [{ ...RDS, termYears: 2 as 1 }] })).toThrow(/termYears must be 1 or 3/);
    expect(() => build({ rds: [RDS, RDS] })).toThrow(/postgres-primary is used twice/);
  });
});
