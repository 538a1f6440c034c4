import { Testing } from "cdktf";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { SecurityGroups, type SecurityGroupsProps } from "../../modules/network/security-groups";
import { parseSynth, type SynthJson } from "../support/fixtures";
import { constructIdOf, resolveRef, resourceList } from "../support/synth-refs";

const BASE: SecurityGroupsProps = { name: "upskill-test", vpcId: "vpc-123", vpcCidr: "10.30.0.0/16" };

function synthGroups(props: Partial<SecurityGroupsProps> = {}): { synth: string; json: SynthJson } {
  const synth = Testing.synthScope((scope) => void new SecurityGroups(scope, "sg", { ...BASE, ...props }));
  return { synth, json: parseSynth(synth) };
}

/** Every rule as `<group> in|out <protocol>[/<port>] <peer>`, peers named by their group's construct id, sorted. */
function rules(json: SynthJson): string[] {
  const describe = (type: string, dir: string) =>
    resourceList(json, type).map((r) => {
      const c = r.config;
      const group = resolveRef(json, c.security_group_id);
      const peerGroup = resolveRef(json, c.referenced_security_group_id);
      const peer = peerGroup ? `sg:${constructIdOf(peerGroup)}` : (c.cidr_ipv4 ?? c.cidr_ipv6);
      expect(c.from_port).toBe(c.to_port);
      expect(c.description).toEqual(expect.any(String));
      return `${group ? constructIdOf(group) : "?"} ${dir} ${c.ip_protocol}${c.from_port !== undefined ? `/${c.from_port}` : ""} ${peer}`;
    });
  return [...describe("aws_vpc_security_group_ingress_rule", "in"), ...describe("aws_vpc_security_group_egress_rule", "out")].sort();
}

describe("SecurityGroups", () => {
  test("one group per tier in the VPC, with no inline rules", () => {
    const { synth, json } = synthGroups();
    const groups = resourceList(json, "aws_security_group");
    expect(groups.map((g) => g.config.name).sort()).toEqual(["upskill-test-alb", "upskill-test-cache", "upskill-test-database", "upskill-test-endpoints", "upskill-test-nodes"]);
    for (const g of groups) {
      expect(g.config.vpc_id).toBe("vpc-123");
      expect(g.config.ingress).toBeUndefined();
      expect(g.config.egress).toBeUndefined();
      expect(g.config.description).toEqual(expect.any(String));
    }
    expect(synth).toHaveResourceWithProperties(SecurityGroup, { name: "upskill-test-alb", revoke_rules_on_delete: true, tags: { Name: "upskill-test-alb" } });
  });

  test("rules only between tiers: exactly these", () => {
    expect(rules(synthGroups().json)).toEqual([
      "alb in tcp/443 ::/0",
      "alb in tcp/443 0.0.0.0/0",
      "alb in tcp/80 ::/0",
      "alb in tcp/80 0.0.0.0/0",
      "alb out tcp/8080 sg:nodes",
      "cache in tcp/6379 sg:nodes",
      "database in tcp/5432 sg:nodes",
      "endpoints in tcp/443 10.30.0.0/16",
      "nodes in -1 sg:nodes",
      "nodes in tcp/8080 sg:alb",
      "nodes out -1 sg:nodes",
      "nodes out tcp/443 0.0.0.0/0",
      "nodes out tcp/443 sg:endpoints",
      "nodes out tcp/5432 sg:database",
      "nodes out tcp/6379 sg:cache",
    ].sort());
  });

  test("only the alb accepts anything from the internet, and only on 443 and 80", () => {
    const open = rules(synthGroups().json).filter((r) => / in .*(0\.0\.0\.0\/0|::\/0)$/.test(r));
    expect(open.every((r) => /^alb in tcp\/(443|80) /.test(r))).toBe(true);
    expect(open).toHaveLength(4);
  });

  test("database, cache and endpoints cannot open connections", () => {
    const out = rules(synthGroups().json).filter((r) => r.includes(" out "));
    expect(out.filter((r) => /^(database|cache|endpoints) /.test(r))).toEqual([]);
  });

  test("app ports, internet egress ports and service ports are options", () => {
    const got = rules(synthGroups({ appPorts: [8080, 9090], internetEgressPorts: [443, 587], postgresPort: 5433, redisPort: 6380 }).json);
    expect(got).toEqual(
      expect.arrayContaining([
        "alb out tcp/8080 sg:nodes",
        "alb out tcp/9090 sg:nodes",
        "nodes in tcp/8080 sg:alb",
        "nodes in tcp/9090 sg:alb",
        "nodes out tcp/587 0.0.0.0/0",
        "database in tcp/5433 sg:nodes",
        "nodes out tcp/5433 sg:database",
        "cache in tcp/6380 sg:nodes",
        "nodes out tcp/6380 sg:cache",
      ]),
    );
    expect(got.some((r) => r.includes("5432") || r.includes("6379"))).toBe(false);
  });

  test("exposes one id per tier", () => {
    let groups!: SecurityGroups;
    Testing.synthScope((scope) => void (groups = new SecurityGroups(scope, "sg", BASE)));
    expect(Object.keys(groups.securityGroupIds).sort()).toEqual(["alb", "cache", "database", "endpoints", "nodes"]);
  });

  test("refuses bad props with what to change", () => {
    expect(() => synthGroups({ appPorts: [] })).toThrow("SecurityGroups sg: appPorts is empty");
    expect(() => synthGroups({ appPorts: [70000] })).toThrow("appPorts has 70000; give TCP ports between 1 and 65535");
    expect(() => synthGroups({ internetEgressPorts: [443, 443] })).toThrow("internetEgressPorts lists a port twice");
  });
});
