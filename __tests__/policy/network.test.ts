import { synthesizedApp } from "../support/synthesized-app";
import { SHIPPED_ENVIRONMENTS, type SynthJson } from "../support/fixtures";
import { resolveAcrossStacks, resourceList, type AppResource, type StackResource } from "../support/synth-refs";

/** Network baselines over every stack of every shipped environment. */

type Stacks = ReadonlyMap<string, SynthJson>;

const INTERNET_V4 = "0.0.0.0/0";
const INTERNET_V6 = "::/0";

function each(stacks: Stacks, type: string): AppResource[] {
  return [...stacks].flatMap(([stack, json]) => resourceList(json, type).map((r) => ({ ...r, stack })));
}

const address = (r: { stack: string; type: string; name: string }) => `${r.stack}/${r.type}.${r.name}`;

/** The ALB's security group: the only one the internet may reach (`<prefix>-alb`). */
function isAlbGroup(group: StackResource | undefined): boolean {
  return !!group && group.type === "aws_security_group" && /-alb$/.test(String(group.config.name ?? ""));
}

/** Ingress from the internet is allowed only into the ALB's group, on TCP 443 and 80 exactly. */
function albWebPort(protocol: unknown, from: unknown, to: unknown): boolean {
  return (protocol === "tcp" || protocol === "6") && from === to && (from === 443 || from === 80);
}

/** Every security-group ingress open to 0.0.0.0/0 or ::/0 that is not the ALB's 443/80. */
function openIngressOffenders(stacks: Stacks): string[] {
  const offenders: string[] = [];
  for (const r of each(stacks, "aws_vpc_security_group_ingress_rule")) {
    const c = r.config;
    if (c.cidr_ipv4 !== INTERNET_V4 && c.cidr_ipv6 !== INTERNET_V6) continue;
    const group = resolveAcrossStacks(stacks, r.stack, c.security_group_id);
    if (!isAlbGroup(group) || !albWebPort(c.ip_protocol, c.from_port, c.to_port)) offenders.push(address(r));
  }
  for (const r of each(stacks, "aws_security_group_rule")) {
    const c = r.config;
    if (c.type !== "ingress") continue;
    if (!(c.cidr_blocks ?? []).includes(INTERNET_V4) && !(c.ipv6_cidr_blocks ?? []).includes(INTERNET_V6)) continue;
    const group = resolveAcrossStacks(stacks, r.stack, c.security_group_id);
    if (!isAlbGroup(group) || !albWebPort(c.protocol, c.from_port, c.to_port)) offenders.push(address(r));
  }
  for (const type of ["aws_security_group", "aws_default_security_group"]) {
    for (const r of each(stacks, type)) {
      const blocks: any[] = Array.isArray(r.config.ingress) ? r.config.ingress : r.config.ingress ? [r.config.ingress] : [];
      const open = blocks.filter((b) => (b.cidr_blocks ?? []).includes(INTERNET_V4) || (b.ipv6_cidr_blocks ?? []).includes(INTERNET_V6));
      if (open.some((b) => !isAlbGroup(r) || !albWebPort(b.protocol, b.from_port, b.to_port))) offenders.push(address(r));
    }
  }
  return offenders;
}

/** Log groups without a retention or a KMS key. */
function logGroupOffenders(stacks: Stacks): string[] {
  return each(stacks, "aws_cloudwatch_log_group")
    .filter((r) => !(Number(r.config.retention_in_days) > 0) || !r.config.kms_key_id)
    .map(address);
}

/** Route tables of the data tier: those of subnets tagged `Tier=data`, and any named `*-data`. */
function dataRouteTables(stacks: Stacks): AppResource[] {
  const found = new Map<string, AppResource>();
  for (const table of each(stacks, "aws_route_table")) if (/-data$/.test(String(table.config.tags?.Name ?? ""))) found.set(address(table), table);
  for (const assoc of each(stacks, "aws_route_table_association")) {
    const subnet = resolveAcrossStacks(stacks, assoc.stack, assoc.config.subnet_id);
    if (subnet?.config.tags?.Tier !== "data") continue;
    const table = resolveAcrossStacks(stacks, assoc.stack, assoc.config.route_table_id);
    if (table) found.set(address(table), table);
  }
  return [...found.values()];
}

const isInternetRoute = (route: Record<string, any>, targetOf: (e: unknown) => StackResource | undefined): boolean =>
  route.destination_cidr_block === INTERNET_V4 ||
  route.cidr_block === INTERNET_V4 ||
  route.destination_ipv6_cidr_block === INTERNET_V6 ||
  route.ipv6_cidr_block === INTERNET_V6 ||
  !!route.nat_gateway_id ||
  !!route.egress_only_gateway_id ||
  targetOf(route.gateway_id)?.type === "aws_internet_gateway";

/** Data-tier route tables with a route to the internet (inline or `aws_route`), and data subnets without a table of their own. */
function dataRouteOffenders(stacks: Stacks): string[] {
  const offenders: string[] = [];
  const tables = dataRouteTables(stacks);
  for (const table of tables) {
    const inline: any[] = Array.isArray(table.config.route) ? table.config.route : [];
    if (inline.some((route) => isInternetRoute(route, (e) => resolveAcrossStacks(stacks, table.stack, e)))) offenders.push(address(table));
  }
  for (const route of each(stacks, "aws_route")) {
    const table = resolveAcrossStacks(stacks, route.stack, route.config.route_table_id);
    if (!table || !tables.some((t) => address(t) === address(table))) continue;
    if (isInternetRoute(route.config, (e) => resolveAcrossStacks(stacks, route.stack, e))) offenders.push(address(route));
  }
  // A data subnet without an association falls back to the main route table, whose routes nobody checks here.
  const associated = new Set(
    each(stacks, "aws_route_table_association").flatMap((a) => {
      const subnet = resolveAcrossStacks(stacks, a.stack, a.config.subnet_id);
      return subnet ? [address(subnet)] : [];
    }),
  );
  for (const subnet of each(stacks, "aws_subnet")) if (subnet.config.tags?.Tier === "data" && !associated.has(address(subnet))) offenders.push(address(subnet));
  return offenders;
}

/** VPCs that no flow log (with a destination) watches. */
function vpcsWithoutFlowLogs(stacks: Stacks): string[] {
  const watched = new Set(
    each(stacks, "aws_flow_log")
      .filter((f) => !!f.config.log_destination || !!f.config.log_group_name)
      .flatMap((f) => {
        const vpc = resolveAcrossStacks(stacks, f.stack, f.config.vpc_id);
        return vpc ? [address(vpc)] : [];
      }),
  );
  return each(stacks, "aws_vpc").map(address).filter((a) => !watched.has(a));
}

describe("policy: network", () => {
  const app = synthesizedApp();

  test("every shipped environment has a network stack with a VPC and data-tier route tables", () => {
    for (const env of SHIPPED_ENVIRONMENTS) {
      const network = app.stacks.get(`${env}-network`);
      expect({ env, vpcs: resourceList(network ?? {}, "aws_vpc").length }).toEqual({ env, vpcs: 1 });
      expect({ env, dataTables: dataRouteTables(new Map([[`${env}-network`, network!]])).length }).toEqual({ env, dataTables: 1 });
    }
  });

  test("no security-group ingress from 0.0.0.0/0 or ::/0 except the ALB's on 443 and 80", () => {
    expect(openIngressOffenders(app.stacks)).toEqual([]);
    // The ALB's web ports are the open ones, in every environment.
    const albOpen = app.ofType("aws_vpc_security_group_ingress_rule").filter((r) => r.config.cidr_ipv4 === INTERNET_V4 || r.config.cidr_ipv6 === INTERNET_V6);
    expect(albOpen.length).toBeGreaterThanOrEqual(4 * SHIPPED_ENVIRONMENTS.length);
  });

  test("every log group has a retention and a KMS key", () => {
    expect(app.ofType("aws_cloudwatch_log_group").length).toBeGreaterThan(0);
    expect(logGroupOffenders(app.stacks)).toEqual([]);
  });

  test("no data-tier route table has a route to the internet", () => {
    expect(dataRouteOffenders(app.stacks)).toEqual([]);
  });

  test("every VPC has flow logs", () => {
    expect(vpcsWithoutFlowLogs(app.stacks)).toEqual([]);
  });

  describe("the checks catch what they look for", () => {
    const stack = (resource: Record<string, Record<string, Record<string, any>>>, output?: Record<string, any>): SynthJson => ({ resource, ...(output ? { output } : {}) });

    test("open ingress outside the ALB's web ports, in any of the three forms, and across stacks", () => {
      const stacks = new Map<string, SynthJson>([
        [
          "x-network",
          stack(
            {
              aws_security_group: { alb: { name: "x-alb" }, nodes: { name: "x-nodes" }, inline: { name: "x-inline", ingress: [{ protocol: "tcp", from_port: 22, to_port: 22, cidr_blocks: ["0.0.0.0/0"] }] } },
              aws_vpc_security_group_ingress_rule: {
                ok: { security_group_id: "${aws_security_group.alb.id}", ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv6: "::/0" },
                ssh: { security_group_id: "${aws_security_group.alb.id}", ip_protocol: "tcp", from_port: 22, to_port: 22, cidr_ipv4: "0.0.0.0/0" },
                nodes: { security_group_id: "${aws_security_group.nodes.id}", ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: "0.0.0.0/0" },
              },
            },
            { "cross-stack-output-aws_security_groupnodesid": { value: "${aws_security_group.nodes.id}" } },
          ),
        ],
        [
          "x-edge",
          stack({
            aws_security_group_rule: {
              remote: {
                type: "ingress",
                security_group_id: "${data.terraform_remote_state.cross-stack-reference-input-x-network.outputs.cross-stack-output-aws_security_groupnodesid}",
                protocol: "tcp",
                from_port: 443,
                to_port: 443,
                cidr_blocks: ["0.0.0.0/0"],
              },
            },
          }),
        ],
      ]);
      expect(openIngressOffenders(stacks).sort()).toEqual([
        "x-edge/aws_security_group_rule.remote",
        "x-network/aws_security_group.inline",
        "x-network/aws_vpc_security_group_ingress_rule.nodes",
        "x-network/aws_vpc_security_group_ingress_rule.ssh",
      ]);
    });

    test("log groups without retention or key", () => {
      const stacks = new Map([["x-app", stack({ aws_cloudwatch_log_group: { a: { name: "a", kms_key_id: "k" }, b: { name: "b", retention_in_days: 7 }, c: { name: "c", retention_in_days: 7, kms_key_id: "k" } } })]]);
      expect(logGroupOffenders(stacks)).toEqual(["x-app/aws_cloudwatch_log_group.a", "x-app/aws_cloudwatch_log_group.b"]);
    });

    test("internet routes on data tables, inline or separate, and data subnets without a table", () => {
      const stacks = new Map([
        [
          "x-network",
          stack({
            aws_internet_gateway: { igw: {} },
            aws_subnet: { d1: { tags: { Tier: "data" } }, d2: { tags: { Tier: "data" } }, p1: { tags: { Tier: "private" } } },
            aws_route_table: { data: { tags: { Name: "x-data" } }, inline: { route: [{ cidr_block: "0.0.0.0/0", gateway_id: "${aws_internet_gateway.igw.id}" }] }, private: {} },
            aws_route_table_association: {
              a: { subnet_id: "${aws_subnet.d1.id}", route_table_id: "${aws_route_table.inline.id}" },
              b: { subnet_id: "${aws_subnet.p1.id}", route_table_id: "${aws_route_table.private.id}" },
            },
            aws_route: {
              viaIgw: { route_table_id: "${aws_route_table.data.id}", destination_cidr_block: "10.99.0.0/16", gateway_id: "${aws_internet_gateway.igw.id}" },
              privateOk: { route_table_id: "${aws_route_table.private.id}", destination_cidr_block: "0.0.0.0/0", nat_gateway_id: "nat" },
            },
          }),
        ],
      ]);
      expect(dataRouteOffenders(stacks).sort()).toEqual(["x-network/aws_route.viaIgw", "x-network/aws_route_table.inline", "x-network/aws_subnet.d2"]);
    });

    test("VPCs without flow logs", () => {
      const stacks = new Map([["x-network", stack({ aws_vpc: { a: {}, b: {} }, aws_flow_log: { f: { vpc_id: "${aws_vpc.a.id}", log_destination: "arn" } } })]]);
      expect(vpcsWithoutFlowLogs(stacks)).toEqual(["x-network/aws_vpc.b"]);
    });
  });
});
