import { Construct } from "constructs";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";

export type GatewayEndpointService = "s3" | "dynamodb";

export interface VpcEndpointsProps {
  /** Prefix of the Name tags, e.g. `upskill-prod`. */
  readonly name: string;
  readonly vpcId: string;
  /** Region of the services (`com.amazonaws.<region>.<service>`). */
  readonly region: string;
  /** Route tables that get the gateway endpoints' routes (the private and data tiers). */
  readonly gatewayRouteTableIds: readonly string[];
  /** Subnets that hold the interface endpoints' network interfaces (one per AZ). */
  readonly interfaceSubnetIds: readonly string[];
  /** Security group of the interface endpoints (443 from the VPC). */
  readonly interfaceSecurityGroupId: string;
  /** Service suffixes of interface endpoints, e.g. `ecr.api`, `sts`, `logs`. Default: none. */
  readonly interfaceServices?: readonly string[];
  /** Gateway endpoints (free; keep S3 and DynamoDB traffic off the NAT). Default: s3 and dynamodb. */
  readonly gatewayServices?: readonly GatewayEndpointService[];
}

/**
 * Gateway endpoints for S3 and DynamoDB on the given route tables, and
 * interface endpoints with private DNS, so the default service host names
 * resolve to addresses inside the VPC and AWS API calls stay off the NAT.
 */
export class VpcEndpoints extends Construct {
  /** Endpoint id per gateway service. */
  readonly gatewayEndpointIds: Readonly<Record<string, string>>;
  /** Endpoint id per interface service suffix. */
  readonly interfaceEndpointIds: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: VpcEndpointsProps) {
    super(scope, id);
    const gateways = props.gatewayServices ?? ["s3", "dynamodb"];
    const interfaces = props.interfaceServices ?? [];
    for (const [field, list] of Object.entries<readonly string[]>({ gatewayServices: gateways, interfaceServices: interfaces })) {
      const twice = list.find((s, i) => list.indexOf(s) !== i);
      if (twice) throw new Error(`VpcEndpoints ${id}: ${field} lists ${twice} twice; list each service once`);
    }
    const bad = interfaces.find((s) => !/^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(s) || s.startsWith("com.amazonaws."));
    if (bad !== undefined) throw new Error(`VpcEndpoints ${id}: interface service ${JSON.stringify(bad)} must be a service suffix such as ecr.api (of com.amazonaws.<region>.ecr.api)`);
    if (gateways.length > 0 && props.gatewayRouteTableIds.length === 0) throw new Error(`VpcEndpoints ${id}: gatewayRouteTableIds is empty; give the private and data route tables`);
    if (interfaces.length > 0 && props.interfaceSubnetIds.length === 0) throw new Error(`VpcEndpoints ${id}: interfaceSubnetIds is empty; give the private subnets`);

    const gatewayEndpointIds: Record<string, string> = {};
    for (const service of gateways) {
      const endpoint = new VpcEndpoint(this, service, {
        vpcId: props.vpcId,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: "Gateway",
        routeTableIds: [...props.gatewayRouteTableIds],
        tags: { Name: `${props.name}-${service}` },
      });
      gatewayEndpointIds[service] = endpoint.id;
    }

    const interfaceEndpointIds: Record<string, string> = {};
    for (const service of interfaces) {
      const endpoint = new VpcEndpoint(this, service.replace(/\./g, "-"), {
        vpcId: props.vpcId,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: "Interface",
        subnetIds: [...props.interfaceSubnetIds],
        securityGroupIds: [props.interfaceSecurityGroupId],
        privateDnsEnabled: true,
        tags: { Name: `${props.name}-${service}` },
      });
      interfaceEndpointIds[service] = endpoint.id;
    }
    this.gatewayEndpointIds = gatewayEndpointIds;
    this.interfaceEndpointIds = interfaceEndpointIds;
  }
}
