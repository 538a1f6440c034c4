import { Testing } from "cdktf";
import { VpcEndpoints, type VpcEndpointsProps } from "../../modules/network/endpoints";
import { parseSynth, type SynthJson } from "../support/fixtures";
import { resourceList } from "../support/synth-refs";

const BASE: VpcEndpointsProps = {
  name: "upskill-test",
  vpcId: "vpc-123",
  region: "eu-west-1",
  gatewayRouteTableIds: ["rtb-private-a", "rtb-private-b", "rtb-data"],
  interfaceSubnetIds: ["subnet-private-a", "subnet-private-b"],
  interfaceSecurityGroupId: "sg-endpoints",
};

function synthEndpoints(props: Partial<VpcEndpointsProps> = {}): SynthJson {
  return parseSynth(Testing.synthScope((scope) => void new VpcEndpoints(scope, "endpoints", { ...BASE, ...props })));
}

const byService = (json: SynthJson): Record<string, Record<string, any>> => Object.fromEntries(resourceList(json, "aws_vpc_endpoint").map((e) => [e.config.service_name, e.config]));

describe("VpcEndpoints", () => {
  test("S3 and DynamoDB gateway endpoints on the given route tables by default, no interface endpoint", () => {
    const endpoints = byService(synthEndpoints());
    expect(Object.keys(endpoints).sort()).toEqual(["com.amazonaws.eu-west-1.dynamodb", "com.amazonaws.eu-west-1.s3"]);
    for (const e of Object.values(endpoints)) {
      expect(e).toMatchObject({ vpc_id: "vpc-123", vpc_endpoint_type: "Gateway", route_table_ids: ["rtb-private-a", "rtb-private-b", "rtb-data"] });
      expect(e.subnet_ids).toBeUndefined();
    }
    expect(endpoints["com.amazonaws.eu-west-1.s3"].tags).toEqual({ Name: "upskill-test-s3" });
  });

  test("interface endpoints sit in the given subnets behind the endpoints group, with private DNS", () => {
    const endpoints = byService(synthEndpoints({ interfaceServices: ["ecr.api", "ecr.dkr", "sts", "logs"] }));
    for (const service of ["ecr.api", "ecr.dkr", "sts", "logs"]) {
      expect(endpoints[`com.amazonaws.eu-west-1.${service}`]).toEqual(
        expect.objectContaining({
          vpc_id: "vpc-123",
          vpc_endpoint_type: "Interface",
          subnet_ids: ["subnet-private-a", "subnet-private-b"],
          security_group_ids: ["sg-endpoints"],
          private_dns_enabled: true,
          tags: { Name: `upskill-test-${service}` },
        }),
      );
      expect(endpoints[`com.amazonaws.eu-west-1.${service}`].route_table_ids).toBeUndefined();
    }
    expect(Object.keys(endpoints)).toHaveLength(6);
  });

  test("gateway endpoints can be narrowed", () => {
    expect(Object.keys(byService(synthEndpoints({ gatewayServices: ["s3"] })))).toEqual(["com.amazonaws.eu-west-1.s3"]);
  });

  test("exposes the endpoint ids by service", () => {
    let endpoints!: VpcEndpoints;
    Testing.synthScope((scope) => void (endpoints = new VpcEndpoints(scope, "endpoints", { ...BASE, interfaceServices: ["sts"] })));
    expect(Object.keys(endpoints.gatewayEndpointIds)).toEqual(["s3", "dynamodb"]);
    expect(Object.keys(endpoints.interfaceEndpointIds)).toEqual(["sts"]);
  });

  test("refuses bad props with what to change", () => {
    expect(() => synthEndpoints({ interfaceServices: ["sts", "sts"] })).toThrow("VpcEndpoints endpoints: interfaceServices lists sts twice");
    expect(() => synthEndpoints({ interfaceServices: ["com.amazonaws.eu-west-1.sts"] })).toThrow("must be a service suffix such as ecr.api");
    expect(() => synthEndpoints({ interfaceServices: ["ECR API"] })).toThrow("must be a service suffix such as ecr.api");
    expect(() => synthEndpoints({ gatewayRouteTableIds: [] })).toThrow("gatewayRouteTableIds is empty");
    expect(() => synthEndpoints({ interfaceServices: ["sts"], interfaceSubnetIds: [] })).toThrow("interfaceSubnetIds is empty");
  });
});
