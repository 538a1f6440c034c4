import { DefaultTokenResolver, StringConcat, Testing, Token, Tokenization } from "cdktf";
import { NetworkStack } from "../../stacks/network-stack";
import { parseSynth, resourcesOf, shippedEnvironment, testApp, type SynthJson } from "../support/fixtures";
import { byConstructId, constructIdOf, ref, resolveRef, resourceList, tag } from "../support/synth-refs";

function build(envName: string): { stack: NetworkStack; json: SynthJson } {
  const stack = new NetworkStack(testApp(), { environment: shippedEnvironment(envName) });
  return { stack, json: parseSynth(Testing.synth(stack)) };
}

const EXPECTED = {
  dev: {
    azs: ["eu-west-1a", "eu-west-1b"],
    nats: 1,
    vpcCidr: "10.10.0.0/16",
    retention: 30,
    interfaceEndpoints: ["ecr.api", "ecr.dkr", "sts", "logs"],
  },
  staging: {
    azs: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    nats: 3,
    vpcCidr: "10.20.0.0/16",
    retention: 90,
    interfaceEndpoints: ["ecr.api", "ecr.dkr", "sts", "logs", "ec2", "elasticloadbalancing", "autoscaling", "kms", "secretsmanager"],
  },
  prod: {
    azs: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    nats: 3,
    vpcCidr: "10.30.0.0/16",
    retention: 365,
    interfaceEndpoints: ["ecr.api", "ecr.dkr", "sts", "logs", "ec2", "elasticloadbalancing", "autoscaling", "kms", "secretsmanager"],
  },
} as const;

describe.each(Object.entries(EXPECTED))("NetworkStack (%s)", (envName, expected) => {
  const { stack, json } = build(envName);
  const prefix = `upskill-${envName}`;

  test("is the <env>-network stack on the S3 backend", () => {
    expect(stack.node.id).toBe(`${envName}-network`);
    expect(json.terraform?.backend?.s3?.key).toBe(`${envName}/network.tfstate`);
  });

  test("one VPC with the configured CIDR and a subnet per tier per AZ", () => {
    expect(resourceList(json, "aws_vpc").map((v) => v.config.cidr_block)).toEqual([expected.vpcCidr]);
    const names = resourceList(json, "aws_subnet").map((s) => tag(s, "Name")).sort();
    expect(names).toEqual(["public", "private", "data"].flatMap((tier) => expected.azs.map((az) => `${prefix}-${tier}-${az}`)).sort());
  });

  test(`${expected.nats} NAT gateway(s) with as many EIPs; private tables route to them`, () => {
    expect(resourceList(json, "aws_nat_gateway")).toHaveLength(expected.nats);
    expect(resourceList(json, "aws_eip")).toHaveLength(expected.nats);
    expect(stack.natGatewayIds).toHaveLength(expected.nats);
    const targets = expected.azs.map((az) => {
      const table = byConstructId(json, "aws_route_table", `private-routes-${az}`);
      const route = resourceList(json, "aws_route").find((r) => r.config.route_table_id === ref(table));
      return constructIdOf(resolveRef(json, route?.config.nat_gateway_id)!);
    });
    expect(targets).toEqual(expected.nats === 1 ? expected.azs.map(() => `nat-${expected.azs[0]}`) : expected.azs.map((az) => `nat-${az}`));
  });

  test("the data route table has no route at all beyond the VPC", () => {
    const table = byConstructId(json, "aws_route_table", "data-routes");
    expect(resourceList(json, "aws_route").filter((r) => r.config.route_table_id === ref(table))).toEqual([]);
  });

  test("subnets carry the cluster's name for the load balancer controller", () => {
    const cluster = `kubernetes.io/cluster/${shippedEnvironment(envName).names.cluster}`;
    for (const s of resourceList(json, "aws_subnet")) {
      const tier = tag(s, "Tier");
      expect({ name: tag(s, "Name"), tag: tag(s, cluster) }).toEqual({ name: tag(s, "Name"), tag: tier === "data" ? undefined : "shared" });
    }
  });

  test("a network ACL and a security group per tier, with the app ports from config", () => {
    expect(resourceList(json, "aws_network_acl").map((a) => tag(a, "Name")).sort()).toEqual([`${prefix}-data`, `${prefix}-private`, `${prefix}-public`]);
    expect(resourceList(json, "aws_security_group").map((g) => g.config.name).sort()).toEqual(
      ["alb", "cache", "database", "endpoints", "nodes"].map((t) => `${prefix}-${t}`),
    );
    const albToNodes = resourceList(json, "aws_vpc_security_group_egress_rule").filter((r) => constructIdOf(resolveRef(json, r.config.security_group_id)!) === "alb");
    expect(albToNodes.map((r) => r.config.from_port)).toEqual([...shippedEnvironment(envName).network.appPorts]);
  });

  test("flow logs of the VPC go to an encrypted log group with the environment's retention", () => {
    const group = resourceList(json, "aws_cloudwatch_log_group");
    expect(group.map((g) => g.config)).toEqual([
      expect.objectContaining({ name: `/${prefix}/vpc-flow-logs`, retention_in_days: expected.retention, kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\./) }),
    ]);
    const flowLogs = resourceList(json, "aws_flow_log");
    expect(flowLogs).toHaveLength(1);
    expect(flowLogs[0]!.config.vpc_id).toBe(ref(resourceList(json, "aws_vpc")[0]!));
    expect(stack.flowLogGroupName).toBe(`/${prefix}/vpc-flow-logs`);
  });

  test("gateway endpoints on the private and data tables, the configured interface endpoints in the private subnets", () => {
    const endpoints = resourceList(json, "aws_vpc_endpoint");
    const gateways = endpoints.filter((e) => e.config.vpc_endpoint_type === "Gateway");
    expect(gateways.map((g) => g.config.service_name).sort()).toEqual(["com.amazonaws.eu-west-1.dynamodb", "com.amazonaws.eu-west-1.s3"]);
    const tables = [...expected.azs.map((az) => ref(byConstructId(json, "aws_route_table", `private-routes-${az}`))), ref(byConstructId(json, "aws_route_table", "data-routes"))];
    for (const g of gateways) expect(g.config.route_table_ids).toEqual(tables);
    const interfaces = endpoints.filter((e) => e.config.vpc_endpoint_type === "Interface");
    expect(interfaces.map((e) => e.config.service_name).sort()).toEqual(expected.interfaceEndpoints.map((s) => `com.amazonaws.eu-west-1.${s}`).sort());
    const privateSubnets = expected.azs.map((az) => ref(byConstructId(json, "aws_subnet", `private-${az}`)));
    const endpointsGroup = ref(byConstructId(json, "aws_security_group", "endpoints"));
    for (const e of interfaces) expect(e.config).toMatchObject({ subnet_ids: privateSubnets, security_group_ids: [endpointsGroup], private_dns_enabled: true });
  });

  test("the environment's public zone: created (kept from destruction) or looked up as domain.zone says, with outputs the delegation wait reads", () => {
    const env = shippedEnvironment(envName);
    const zones = resourcesOf(json, "aws_route53_zone");
    const lookups = Object.values(json.data?.aws_route53_zone ?? {});
    if (env.domain.zone === "create") {
      // Same address the edge layer had ("zone/zone"): `terraform import` puts the existing zone here.
      expect(Object.keys(zones)).toEqual(["zone_6E295601"]);
      expect(zones.zone_6E295601).toMatchObject({ name: env.domain.name, force_destroy: false, lifecycle: { prevent_destroy: true } });
      expect(lookups).toEqual([]);
      expect(Tokenization.resolve(stack.hostedZoneId, { scope: stack, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) })).toBe("${aws_route53_zone.zone_6E295601.zone_id}");
    } else {
      expect(zones).toEqual({});
      expect(lookups).toEqual([{ name: env.domain.name, private_zone: false }]);
    }
    expect(json.output?.["zone-name"].value).toBe(env.domain.name);
    expect(json.output?.["name-servers"].value).toMatch(/\.name_servers\}$/);
    expect(json.output?.["zone-id"].value).toMatch(/\.zone_id\}$/);
    // No parent zone in this account for the shipped files: no delegation record is written here.
    expect(Object.values(resourcesOf(json, "aws_route53_record")).filter((r) => r.type === "NS")).toEqual([]);
  });

  test("exposes the outputs later layers read", () => {
    expect(stack.vpcCidr).toBe(expected.vpcCidr);
    expect(Token.isUnresolved(stack.vpcId)).toBe(true);
    for (const list of [stack.publicSubnetIds, stack.privateSubnetIds, stack.dataSubnetIds]) {
      expect(list).toHaveLength(expected.azs.length);
      for (const id of list) expect(Token.isUnresolved(id)).toBe(true);
    }
    expect(Object.keys(stack.securityGroupIds).sort()).toEqual(["alb", "cache", "database", "endpoints", "nodes"]);
    for (const id of Object.values(stack.securityGroupIds)) expect(Token.isUnresolved(id)).toBe(true);
  });
});

describe("NetworkStack with a parent zone in the same account", () => {
  const base = shippedEnvironment("dev");
  const environment = { ...base, domain: { ...base.domain, parentZone: "upskill.example.com" } };
  const json = parseSynth(Testing.synth(new NetworkStack(testApp(), { environment })));

  test("writes the NS delegation of the created zone into the parent zone, looked up by name", () => {
    const [[parentName, parent]] = Object.entries(json.data?.aws_route53_zone ?? {});
    expect(parent).toEqual({ name: "upskill.example.com", private_zone: false });
    const ns = Object.values(resourcesOf(json, "aws_route53_record")).filter((r) => r.type === "NS");
    expect(ns).toEqual([
      expect.objectContaining({
        zone_id: `\${data.aws_route53_zone.${parentName}.zone_id}`,
        name: "dev.upskill.example.com",
        ttl: 3600,
        records: "${aws_route53_zone.zone_6E295601.name_servers}",
      }),
    ]);
  });
});
