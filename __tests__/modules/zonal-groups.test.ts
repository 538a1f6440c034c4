import { expandNodeGroups } from "../../modules/node-group/zonal-groups";

const AZS = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];

describe("expandNodeGroups", () => {
  test("a zonal class becomes one group per AZ, ids and names ending with the AZ, the first AZ's taking the former id", () => {
    const out = expandNodeGroups([{ name: "core", zonal: true }], AZS, "upskill-prod");
    expect(out.map((g) => [g.id, g.name, g.availabilityZones, g.subnetIndexes, g.previousId])).toEqual([
      ["node-group-core-eu-west-1a", "upskill-prod-core-eu-west-1a", ["eu-west-1a"], [0], "node-group-core"],
      ["node-group-core-eu-west-1b", "upskill-prod-core-eu-west-1b", ["eu-west-1b"], [1], undefined],
      ["node-group-core-eu-west-1c", "upskill-prod-core-eu-west-1c", ["eu-west-1c"], [2], undefined],
    ]);
  });

  test("a class limited to some AZs uses their subnets; a non-zonal class stays one group with its old id", () => {
    expect(expandNodeGroups([{ name: "spot", zonal: true, availabilityZones: ["eu-west-1c"] }], AZS, "c").map((g) => g.subnetIndexes)).toEqual([[2]]);
    expect(expandNodeGroups([{ name: "batch", zonal: false }], AZS, "c")).toEqual([
      { config: { name: "batch", zonal: false }, id: "node-group-batch", name: "c-batch", availabilityZones: AZS, subnetIndexes: [0, 1, 2] },
    ]);
  });

  test("refuses a class with no AZ or an AZ the environment lacks", () => {
    expect(() => expandNodeGroups([{ name: "core", zonal: true, availabilityZones: [] }], AZS, "c")).toThrow(/at least one of the environment's AZs/);
    expect(() => expandNodeGroups([{ name: "core", zonal: true, availabilityZones: ["us-east-1a"] }], AZS, "c")).toThrow(/us-east-1a/);
  });
});
