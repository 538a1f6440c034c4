import { Testing } from "cdktf";
import { NetworkAcls, type NetworkAclsProps } from "../../modules/network/network-acls";
import { parseSynth, type SynthJson } from "../support/fixtures";
import { byConstructId, ref, resourceList } from "../support/synth-refs";

const PRIVATE = ["10.30.0.0/20", "10.30.16.0/20", "10.30.32.0/20"];
const BASE: NetworkAclsProps = {
  name: "upskill-test",
  vpcId: "vpc-123",
  vpcCidr: "10.30.0.0/16",
  subnetIds: { public: ["subnet-pa", "subnet-pb", "subnet-pc"], private: ["subnet-qa", "subnet-qb", "subnet-qc"], data: ["subnet-da", "subnet-db", "subnet-dc"] },
  privateSubnetCidrs: PRIVATE,
};

function synthAcls(props: Partial<NetworkAclsProps> = {}): SynthJson {
  return parseSynth(Testing.synthScope((scope) => void new NetworkAcls(scope, "acls", { ...BASE, ...props })));
}

/** The rules of one tier's ACL as `in|out <number> <protocol> <cidr> <from>-<to>`, sorted. */
function rulesOf(json: SynthJson, tier: "public" | "private" | "data"): string[] {
  const acl = byConstructId(json, "aws_network_acl", tier);
  return resourceList(json, "aws_network_acl_rule")
    .filter((r) => r.config.network_acl_id === ref(acl))
    .map((r) => {
      const c = r.config;
      expect(["allow", "deny"]).toContain(c.rule_action);
      return `${c.rule_action === "deny" ? "DENY " : ""}${c.egress ? "out" : "in"} ${c.rule_number} ${c.protocol === "-1" ? "all" : c.protocol === "6" ? "tcp" : c.protocol} ${c.cidr_block} ${c.from_port}-${c.to_port}`;
    })
    .sort();
}

describe("NetworkAcls", () => {
  test("one ACL per tier, on that tier's subnets", () => {
    const json = synthAcls();
    expect(resourceList(json, "aws_network_acl")).toHaveLength(3);
    expect(byConstructId(json, "aws_network_acl", "public").config).toMatchObject({ vpc_id: "vpc-123", subnet_ids: ["subnet-pa", "subnet-pb", "subnet-pc"], tags: { Name: "upskill-test-public" } });
    expect(byConstructId(json, "aws_network_acl", "private").config).toMatchObject({ subnet_ids: ["subnet-qa", "subnet-qb", "subnet-qc"], tags: { Name: "upskill-test-private" } });
    expect(byConstructId(json, "aws_network_acl", "data").config).toMatchObject({ subnet_ids: ["subnet-da", "subnet-db", "subnet-dc"], tags: { Name: "upskill-test-data" } });
    // Rules are separate resources only; inline blocks would conflict with them.
    for (const acl of resourceList(json, "aws_network_acl")) {
      expect(acl.config.ingress).toBeUndefined();
      expect(acl.config.egress).toBeUndefined();
    }
  });

  test("public: 443/80 and ephemeral returns in from the internet; returns and NAT'd 443 out", () => {
    expect(rulesOf(synthAcls(), "public")).toEqual([
      "DENY in 50 tcp 0.0.0.0/0 22-22",
      "DENY in 51 tcp 0.0.0.0/0 3389-3389",
      "in 100 tcp 0.0.0.0/0 443-443",
      "in 101 tcp 0.0.0.0/0 80-80",
      "in 300 tcp 0.0.0.0/0 1024-65535",
      "out 100 tcp 0.0.0.0/0 1024-65535",
      "out 200 tcp 0.0.0.0/0 443-443",
    ]);
  });

  test("private: everything from and to the VPC, ephemeral returns of NAT'd traffic, 443 out", () => {
    expect(rulesOf(synthAcls(), "private")).toEqual([
      "DENY in 50 tcp 0.0.0.0/0 22-22",
      "DENY in 51 tcp 0.0.0.0/0 3389-3389",
      "in 100 all 10.30.0.0/16 0-0",
      "in 200 tcp 0.0.0.0/0 1024-65535",
      "out 100 all 10.30.0.0/16 0-0",
      "out 200 tcp 0.0.0.0/0 443-443",
    ]);
  });

  test("SSH and RDP from the internet are denied ahead of every allow (the ephemeral range includes 3389)", () => {
    for (const tier of ["public", "private"] as const) {
      const rules = rulesOf(synthAcls(), tier);
      const denies = rules.filter((r) => r.startsWith("DENY in"));
      expect(denies).toEqual(["DENY in 50 tcp 0.0.0.0/0 22-22", "DENY in 51 tcp 0.0.0.0/0 3389-3389"]);
      const firstAllow = Math.min(...rules.filter((r) => r.startsWith("in ")).map((r) => Number(r.split(" ")[1])));
      expect(firstAllow).toBeGreaterThan(51);
    }
  });

  test("data: only 5432 and 6379 from each private subnet, only ephemeral returns to them", () => {
    const rules = rulesOf(synthAcls(), "data");
    expect(rules).toEqual([
      "in 100 tcp 10.30.0.0/20 5432-5432",
      "in 101 tcp 10.30.16.0/20 5432-5432",
      "in 102 tcp 10.30.32.0/20 5432-5432",
      "in 200 tcp 10.30.0.0/20 6379-6379",
      "in 201 tcp 10.30.16.0/20 6379-6379",
      "in 202 tcp 10.30.32.0/20 6379-6379",
      "out 100 tcp 10.30.0.0/20 1024-65535",
      "out 101 tcp 10.30.16.0/20 1024-65535",
      "out 102 tcp 10.30.32.0/20 1024-65535",
    ]);
    expect(rules.filter((r) => r.includes("0.0.0.0/0") || r.includes("10.30.0.0/16"))).toEqual([]);
  });

  test("another AZ adds rules without renumbering the existing ones", () => {
    const four = rulesOf(synthAcls({ privateSubnetCidrs: [...PRIVATE, "10.30.48.0/20"], subnetIds: { ...BASE.subnetIds, data: ["a", "b", "c", "d"] } }), "data");
    expect(four).toEqual(expect.arrayContaining(rulesOf(synthAcls(), "data")));
    expect(four).toHaveLength(12);
  });

  test("extra internet egress ports are let through the NAT'd path; app ports below 1024 get a rule to the VPC", () => {
    const json = synthAcls({ internetEgressPorts: [443, 587], appPorts: [80, 8080] });
    expect(rulesOf(json, "public")).toEqual([
      "DENY in 50 tcp 0.0.0.0/0 22-22",
      "DENY in 51 tcp 0.0.0.0/0 3389-3389",
      "in 100 tcp 0.0.0.0/0 443-443",
      "in 101 tcp 0.0.0.0/0 80-80",
      "in 200 tcp 10.30.0.0/16 587-587",
      "in 300 tcp 0.0.0.0/0 1024-65535",
      "out 100 tcp 0.0.0.0/0 1024-65535",
      "out 200 tcp 0.0.0.0/0 443-443",
      "out 201 tcp 0.0.0.0/0 587-587",
      "out 300 tcp 10.30.0.0/16 80-80",
    ]);
    expect(rulesOf(json, "private")).toContain("out 201 tcp 0.0.0.0/0 587-587");
  });

  test("public ingress and data ports can be changed", () => {
    const json = synthAcls({ publicIngressPorts: [443], dataPorts: [5432], privateSubnetCidrs: ["10.30.0.0/20"] });
    expect(rulesOf(json, "public").filter((r) => r.startsWith("in"))).toEqual(["in 100 tcp 0.0.0.0/0 443-443", "in 300 tcp 0.0.0.0/0 1024-65535"]);
    expect(rulesOf(json, "data")).toEqual(["in 100 tcp 10.30.0.0/20 5432-5432", "out 100 tcp 10.30.0.0/20 1024-65535"]);
  });

  test("refuses bad props with what to change", () => {
    expect(() => synthAcls({ appPorts: [0] })).toThrow("NetworkAcls acls: appPorts has 0; give TCP ports between 1 and 65535");
    expect(() => synthAcls({ dataPorts: [5432, 5432] })).toThrow("dataPorts lists a port twice");
    expect(() => synthAcls({ privateSubnetCidrs: [] })).toThrow("privateSubnetCidrs is empty");
    const elevenAzs = Array.from({ length: 11 }, (_, i) => `10.30.${i * 16}.0/20`);
    expect(() => synthAcls({ privateSubnetCidrs: elevenAzs })).toThrow("the data ACL needs 22 ingress rules, over the quota of 20");
  });
});
