import { Testing } from "cdktf";
import { Vpc as VpcResource } from "@cdktf/provider-aws/lib/vpc";
import { Vpc, type VpcProps } from "../../modules/network/vpc";
import { parseSynth, type SynthJson } from "../support/fixtures";
import { byConstructId, constructIdOf, ref, resolveRef, resourceList, tag } from "../support/synth-refs";

const AZS3 = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];

function synthVpc(props: Partial<VpcProps> = {}): { synth: string; json: SynthJson } {
  const synth = Testing.synthScope((scope) => {
    new Vpc(scope, "vpc", { name: "upskill-test", cidr: "10.30.0.0/16", availabilityZones: AZS3, ...props });
  });
  return { synth, json: parseSynth(synth) };
}

/** For each private route table (by AZ), the construct id of the NAT gateway its default route targets. */
function privateRouteTargets(json: SynthJson, azs: readonly string[]): Record<string, string | undefined> {
  return Object.fromEntries(
    azs.map((az) => {
      const table = byConstructId(json, "aws_route_table", `private-routes-${az}`);
      const routes = resourceList(json, "aws_route").filter((r) => r.config.route_table_id === ref(table));
      expect(routes).toHaveLength(1);
      expect(routes[0]!.config.destination_cidr_block).toBe("0.0.0.0/0");
      const nat = resolveRef(json, routes[0]!.config.nat_gateway_id);
      return [az, nat ? constructIdOf(nat) : undefined];
    }),
  );
}

describe("Vpc", () => {
  test("has DNS support and hostnames and the configured CIDR", () => {
    const { synth } = synthVpc();
    expect(synth).toHaveResourceWithProperties(VpcResource, {
      cidr_block: "10.30.0.0/16",
      enable_dns_support: true,
      enable_dns_hostnames: true,
      tags: { Name: "upskill-test" },
    });
  });

  test("has a public, a private and a data subnet per AZ with the planned CIDRs and names", () => {
    const { json } = synthVpc();
    const subnets = resourceList(json, "aws_subnet");
    expect(subnets).toHaveLength(9);
    const expected: Record<string, string> = {
      "upskill-test-public-eu-west-1a": "10.30.48.0/24",
      "upskill-test-public-eu-west-1b": "10.30.49.0/24",
      "upskill-test-public-eu-west-1c": "10.30.50.0/24",
      "upskill-test-private-eu-west-1a": "10.30.0.0/20",
      "upskill-test-private-eu-west-1b": "10.30.16.0/20",
      "upskill-test-private-eu-west-1c": "10.30.32.0/20",
      "upskill-test-data-eu-west-1a": "10.30.51.0/24",
      "upskill-test-data-eu-west-1b": "10.30.52.0/24",
      "upskill-test-data-eu-west-1c": "10.30.53.0/24",
    };
    expect(Object.fromEntries(subnets.map((s) => [tag(s, "Name"), s.config.cidr_block]))).toEqual(expected);
    for (const s of subnets) {
      expect(s.config.availability_zone).toBe(tag(s, "Name")!.replace(/^upskill-test-[a-z]+-/, ""));
      expect(s.config.map_public_ip_on_launch).toBe(false);
    }
  });

  test("tags subnets for the load balancer controller; the cluster tag only when a cluster is named", () => {
    const withCluster = synthVpc({ clusterName: "upskill-test" }).json;
    const tagsOf = (json: SynthJson, id: string) => byConstructId(json, "aws_subnet", id).config.tags;
    expect(tagsOf(withCluster, "public-eu-west-1a")).toEqual({
      Name: "upskill-test-public-eu-west-1a",
      Tier: "public",
      "kubernetes.io/role/elb": "1",
      "kubernetes.io/cluster/upskill-test": "shared",
    });
    expect(tagsOf(withCluster, "private-eu-west-1b")).toEqual({
      Name: "upskill-test-private-eu-west-1b",
      Tier: "private",
      "kubernetes.io/role/internal-elb": "1",
      "kubernetes.io/cluster/upskill-test": "shared",
    });
    expect(tagsOf(withCluster, "data-eu-west-1c")).toEqual({ Name: "upskill-test-data-eu-west-1c", Tier: "data" });
    const without = synthVpc().json;
    expect(Object.keys(tagsOf(without, "private-eu-west-1a")).filter((k) => k.startsWith("kubernetes.io/cluster/"))).toEqual([]);
  });

  test("per-az NAT: one NAT gateway and EIP per AZ, each private table routes to its own AZ's NAT", () => {
    const { json } = synthVpc({ natGateways: "per-az" });
    const nats = resourceList(json, "aws_nat_gateway");
    expect(nats).toHaveLength(3);
    expect(resourceList(json, "aws_eip")).toHaveLength(3);
    for (const az of AZS3) {
      const nat = byConstructId(json, "aws_nat_gateway", `nat-${az}`);
      expect(nat.config.subnet_id).toBe(ref(byConstructId(json, "aws_subnet", `public-${az}`)));
      expect(nat.config.allocation_id).toBe(ref(byConstructId(json, "aws_eip", `nat-eip-${az}`), "allocation_id"));
      expect(nat.config.connectivity_type).toBe("public");
      expect(byConstructId(json, "aws_eip", `nat-eip-${az}`).config.domain).toBe("vpc");
    }
    expect(privateRouteTargets(json, AZS3)).toEqual({ "eu-west-1a": "nat-eu-west-1a", "eu-west-1b": "nat-eu-west-1b", "eu-west-1c": "nat-eu-west-1c" });
  });

  test("per-az is the default", () => {
    expect(resourceList(synthVpc().json, "aws_nat_gateway")).toHaveLength(3);
  });

  test("single NAT: one NAT gateway and EIP in the first AZ, every private table routes to it", () => {
    const { json } = synthVpc({ natGateways: "single" });
    const nats = resourceList(json, "aws_nat_gateway");
    expect(nats).toHaveLength(1);
    expect(resourceList(json, "aws_eip")).toHaveLength(1);
    expect(nats[0]!.config.subnet_id).toBe(ref(byConstructId(json, "aws_subnet", "public-eu-west-1a")));
    // One private table per AZ either way, so switching strategy only retargets routes.
    expect(privateRouteTargets(json, AZS3)).toEqual({ "eu-west-1a": "nat-eu-west-1a", "eu-west-1b": "nat-eu-west-1a", "eu-west-1c": "nat-eu-west-1a" });
  });

  test("public subnets route 0.0.0.0/0 to the internet gateway", () => {
    const { json } = synthVpc();
    const table = byConstructId(json, "aws_route_table", "public-routes");
    const igw = byConstructId(json, "aws_internet_gateway", "internet-gateway");
    const routes = resourceList(json, "aws_route").filter((r) => r.config.route_table_id === ref(table));
    expect(routes.map((r) => r.config)).toEqual([expect.objectContaining({ destination_cidr_block: "0.0.0.0/0", gateway_id: ref(igw) })]);
    expect(igw.config.vpc_id).toBe(ref(byConstructId(json, "aws_vpc", "vpc")));
    for (const az of AZS3) {
      expect(byConstructId(json, "aws_route_table_association", `public-${az}-routes`).config).toMatchObject({
        subnet_id: ref(byConstructId(json, "aws_subnet", `public-${az}`)),
        route_table_id: ref(table),
      });
    }
  });

  test("private subnets use the route table of their AZ", () => {
    const { json } = synthVpc();
    for (const az of AZS3) {
      expect(byConstructId(json, "aws_route_table_association", `private-${az}-routes`).config).toMatchObject({
        subnet_id: ref(byConstructId(json, "aws_subnet", `private-${az}`)),
        route_table_id: ref(byConstructId(json, "aws_route_table", `private-routes-${az}`)),
      });
    }
  });

  test("data subnets have no route to the internet at all", () => {
    for (const natGateways of ["per-az", "single"] as const) {
      const { json } = synthVpc({ natGateways });
      const table = byConstructId(json, "aws_route_table", "data-routes");
      expect(table.config.route).toBeUndefined();
      expect(resourceList(json, "aws_route").filter((r) => r.config.route_table_id === ref(table))).toEqual([]);
      for (const az of AZS3) {
        expect(byConstructId(json, "aws_route_table_association", `data-${az}-routes`).config).toMatchObject({
          subnet_id: ref(byConstructId(json, "aws_subnet", `data-${az}`)),
          route_table_id: ref(table),
        });
      }
      // Every route in the VPC: one public, one per private table; nothing else.
      expect(resourceList(json, "aws_route")).toHaveLength(1 + AZS3.length);
    }
  });

  test("the default security group, network ACL and route table are adopted with nothing in them", () => {
    const { json } = synthVpc();
    const vpc = byConstructId(json, "aws_vpc", "vpc");
    expect(byConstructId(json, "aws_default_security_group", "default-security-group").config).toMatchObject({ vpc_id: ref(vpc), ingress: [], egress: [] });
    expect(byConstructId(json, "aws_default_network_acl", "default-network-acl").config).toMatchObject({
      default_network_acl_id: ref(vpc, "default_network_acl_id"),
      ingress: [],
      egress: [],
    });
    expect(byConstructId(json, "aws_default_route_table", "default-route-table").config).toMatchObject({
      default_route_table_id: ref(vpc, "default_route_table_id"),
      route: [],
    });
  });

  test("exposes the plan, ids in AZ order and the NAT gateways", () => {
    let vpc!: Vpc;
    Testing.synthScope((scope) => {
      vpc = new Vpc(scope, "vpc", { name: "upskill-test", cidr: "10.10.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"], natGateways: "single" });
    });
    expect(vpc.vpcCidr).toBe("10.10.0.0/16");
    expect(vpc.plan.cidrs.data).toEqual(["10.10.34.0/24", "10.10.35.0/24"]);
    expect(vpc.subnetIds.public).toHaveLength(2);
    expect(vpc.subnetIds.private).toHaveLength(2);
    expect(vpc.subnetIds.data).toHaveLength(2);
    expect(vpc.natGatewayIds).toHaveLength(1);
    expect(vpc.routeTableIds.private).toHaveLength(2);
    expect(vpc.routeTableIds.data).toHaveLength(1);
  });

  test("custom subnet sizes are honoured", () => {
    const { json } = synthVpc({ cidr: "10.50.0.0/20", availabilityZones: ["eu-west-1a", "eu-west-1b"], subnetPrefixLength: { public: 26, private: 22, data: 27 } });
    expect(byConstructId(json, "aws_subnet", "private-eu-west-1b").config.cidr_block).toBe("10.50.4.0/22");
    expect(byConstructId(json, "aws_subnet", "public-eu-west-1a").config.cidr_block).toBe("10.50.8.0/26");
    expect(byConstructId(json, "aws_subnet", "data-eu-west-1b").config.cidr_block).toBe("10.50.8.160/27");
  });

  test("refuses bad props with what to change", () => {
    expect(() => synthVpc({ availabilityZones: [] })).toThrow("Vpc vpc: availabilityZones is empty");
    expect(() => synthVpc({ availabilityZones: ["eu-west-1a", "eu-west-1a"] })).toThrow("availability zone eu-west-1a is listed twice");
    expect(() => synthVpc({ cidr: "10.30.1.0/16" })).toThrow("Vpc vpc: cidr 10.30.1.0/16: has host bits set; the network address is 10.30.0.0/16");
    expect(() => synthVpc({ cidr: "10.30.0.0/19" })).toThrow("Vpc vpc: cidr 10.30.0.0/19: 3 AZs x (public /24 + private /20 + data /24) do not fit in 10.30.0.0/19");
    expect(() => synthVpc({ natGateways: "two" as never })).toThrow('natGateways must be "per-az" or "single"');
    expect(() => synthVpc({ name: "Upskill Test" })).toThrow("must be lower-case letters, digits and hyphens");
  });
});
