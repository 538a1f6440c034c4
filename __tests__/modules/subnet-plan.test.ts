import { Address4 } from "ip-address";
import { parseCidr, planSubnets, SubnetPlanError, type SubnetPlan } from "../../modules/network/subnet-plan";

const SHIPPED = { public: 24, private: 20, data: 24 } as const;

function range(cidr: string): [bigint, bigint] {
  const a = new Address4(cidr);
  return [a.startAddress().bigInt(), a.endAddress().bigInt()];
}

/** Every pair of subnets is disjoint and every subnet lies inside the VPC. */
function expectDisjointInside(plan: SubnetPlan, vpcCidr: string): void {
  const [vpcStart, vpcEnd] = range(vpcCidr);
  const ranges = plan.subnets.map((s) => [s.cidr, ...range(s.cidr)] as const);
  for (const [cidr, start, end] of ranges) {
    expect({ cidr, inside: start >= vpcStart && end <= vpcEnd }).toEqual({ cidr, inside: true });
  }
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      const [a, aStart, aEnd] = ranges[i]!;
      const [b, bStart, bEnd] = ranges[j]!;
      expect({ pair: [a, b], overlap: aStart <= bEnd && bStart <= aEnd }).toEqual({ pair: [a, b], overlap: false });
    }
  }
}

describe("planSubnets", () => {
  test("2 AZs: larger private subnets first, then public, then data", () => {
    const plan = planSubnets({ vpcCidr: "10.10.0.0/16", azCount: 2, prefixLength: SHIPPED });
    expect(plan.cidrs).toEqual({
      public: ["10.10.32.0/24", "10.10.33.0/24"],
      private: ["10.10.0.0/20", "10.10.16.0/20"],
      data: ["10.10.34.0/24", "10.10.35.0/24"],
    });
    expectDisjointInside(plan, "10.10.0.0/16");
  });

  test("3 AZs", () => {
    const plan = planSubnets({ vpcCidr: "10.30.0.0/16", azCount: 3, prefixLength: SHIPPED });
    expect(plan.cidrs).toEqual({
      public: ["10.30.48.0/24", "10.30.49.0/24", "10.30.50.0/24"],
      private: ["10.30.0.0/20", "10.30.16.0/20", "10.30.32.0/20"],
      data: ["10.30.51.0/24", "10.30.52.0/24", "10.30.53.0/24"],
    });
    expectDisjointInside(plan, "10.30.0.0/16");
  });

  test("4 AZs", () => {
    const plan = planSubnets({ vpcCidr: "10.40.0.0/16", azCount: 4, prefixLength: SHIPPED });
    expect(plan.cidrs).toEqual({
      public: ["10.40.64.0/24", "10.40.65.0/24", "10.40.66.0/24", "10.40.67.0/24"],
      private: ["10.40.0.0/20", "10.40.16.0/20", "10.40.32.0/20", "10.40.48.0/20"],
      data: ["10.40.68.0/24", "10.40.69.0/24", "10.40.70.0/24", "10.40.71.0/24"],
    });
    expectDisjointInside(plan, "10.40.0.0/16");
  });

  test("a tight VPC is filled exactly, each block aligned to its size", () => {
    const plan = planSubnets({ vpcCidr: "172.16.0.0/20", azCount: 3, prefixLength: { public: 24, private: 22, data: 26 } });
    expect(plan.cidrs).toEqual({
      public: ["172.16.12.0/24", "172.16.13.0/24", "172.16.14.0/24"],
      private: ["172.16.0.0/22", "172.16.4.0/22", "172.16.8.0/22"],
      data: ["172.16.15.0/26", "172.16.15.64/26", "172.16.15.128/26"],
    });
    expectDisjointInside(plan, "172.16.0.0/20");
  });

  test("equal sizes keep the tier order public, private, data", () => {
    const plan = planSubnets({ vpcCidr: "192.168.0.0/22", azCount: 2, prefixLength: { public: 25, private: 25, data: 25 } });
    expect(plan.cidrs).toEqual({
      public: ["192.168.0.0/25", "192.168.0.128/25"],
      private: ["192.168.1.0/25", "192.168.1.128/25"],
      data: ["192.168.2.0/25", "192.168.2.128/25"],
    });
  });

  test("is deterministic and lists subnets by tier, then AZ", () => {
    const props = { vpcCidr: "10.20.0.0/16", azCount: 3, prefixLength: SHIPPED };
    const a = planSubnets(props);
    const b = planSubnets({ ...props, prefixLength: { ...SHIPPED } });
    expect(b).toEqual(a);
    expect(a.subnets.map((s) => `${s.tier}${s.azIndex}`)).toEqual(["public0", "public1", "public2", "private0", "private1", "private2", "data0", "data1", "data2"]);
    expect(a.subnets.map((s) => s.cidr)).toEqual([...a.cidrs.public, ...a.cidrs.private, ...a.cidrs.data]);
  });

  test("more AZs keep the first AZs' private subnets where they were", () => {
    const two = planSubnets({ vpcCidr: "10.10.0.0/16", azCount: 2, prefixLength: SHIPPED });
    const three = planSubnets({ vpcCidr: "10.10.0.0/16", azCount: 3, prefixLength: SHIPPED });
    expect(three.cidrs.private.slice(0, 2)).toEqual(two.cidrs.private);
  });

  test("subnets that do not fit are refused with what to change", () => {
    expect(() => planSubnets({ vpcCidr: "10.10.0.0/20", azCount: 2, prefixLength: SHIPPED })).toThrow(
      new SubnetPlanError("2 AZs x (public /24 + private /20 + data /24) do not fit in 10.10.0.0/20; use a larger VPC CIDR or longer subnet prefixes"),
    );
    expect(() => planSubnets({ vpcCidr: "10.10.0.0/22", azCount: 2, prefixLength: SHIPPED })).toThrow("private subnets (/20) are larger than the VPC (/22)");
  });

  test("malformed CIDRs and set host bits are refused", () => {
    for (const bad of ["10.10.0/16", "10.10.0.0", "10.10.0.0/33", "256.0.0.0/16", "fd00::/8", " 10.10.0.0/16"]) {
      expect(() => parseCidr(bad)).toThrow("is not an IPv4 CIDR such as 10.20.0.0/16");
    }
    expect(() => parseCidr("10.10.1.0/16")).toThrow("has host bits set; the network address is 10.10.0.0/16");
    expect(() => planSubnets({ vpcCidr: "10.10.1.0/16", azCount: 2, prefixLength: SHIPPED })).toThrow(SubnetPlanError);
    expect(parseCidr("10.10.0.0/16").subnetMask).toBe(16);
  });
});
