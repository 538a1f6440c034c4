import type { Construct } from "constructs";
import { LayerStack, type LayerStackProps } from "./layer-stack";
import { Vpc } from "../modules/network/vpc";
import { NetworkAcls } from "../modules/network/network-acls";
import { SecurityGroups, type SecurityGroupTier } from "../modules/network/security-groups";
import { FlowLogs } from "../modules/network/flow-logs";
import { VpcEndpoints } from "../modules/network/endpoints";

export type NetworkStackProps = LayerStackProps;

/** `<env>-network`: VPC, subnets per tier and AZ, NAT, NACLs, security groups, endpoints, flow logs. */
export class NetworkStack extends LayerStack {
  readonly vpcId: string;
  readonly vpcCidr: string;
  /** In the order of the configured availability zones, as are the other subnet lists. */
  readonly publicSubnetIds: string[];
  readonly privateSubnetIds: string[];
  readonly dataSubnetIds: string[];
  readonly securityGroupIds: Readonly<Record<SecurityGroupTier, string>>;
  readonly natGatewayIds: string[];
  readonly flowLogGroupName: string;

  constructor(scope: Construct, props: NetworkStackProps) {
    super(scope, "network", props);
    const env = this.environment;
    const net = env.network;
    const name = env.names.prefix;

    const vpc = new Vpc(this, "vpc", {
      name,
      cidr: net.vpcCidr,
      availabilityZones: env.availabilityZones,
      subnetPrefixLength: net.subnetPrefixLength,
      natGateways: net.natGateways,
      clusterName: env.names.cluster,
    });

    new NetworkAcls(this, "network-acls", {
      name,
      vpcId: vpc.vpcId,
      vpcCidr: vpc.vpcCidr,
      subnetIds: vpc.subnetIds,
      privateSubnetCidrs: vpc.plan.cidrs.private,
      appPorts: net.appPorts,
      internetEgressPorts: net.internetEgressPorts,
    });

    const securityGroups = new SecurityGroups(this, "security-groups", {
      name,
      vpcId: vpc.vpcId,
      vpcCidr: vpc.vpcCidr,
      appPorts: net.appPorts,
      internetEgressPorts: net.internetEgressPorts,
    });

    const flowLogs = new FlowLogs(this, "flow-logs", {
      name,
      vpcId: vpc.vpcId,
      accountId: env.accountId,
      region: env.region,
      retentionInDays: net.flowLogs.retentionDays ?? env.logRetentionDays,
      trafficType: net.flowLogs.trafficType,
    });

    new VpcEndpoints(this, "endpoints", {
      name,
      vpcId: vpc.vpcId,
      region: env.region,
      gatewayRouteTableIds: [...vpc.routeTableIds.private, ...vpc.routeTableIds.data],
      interfaceSubnetIds: vpc.subnetIds.private,
      interfaceSecurityGroupId: securityGroups.securityGroupIds.endpoints,
      interfaceServices: net.interfaceEndpoints,
    });

    this.vpcId = vpc.vpcId;
    this.vpcCidr = vpc.vpcCidr;
    this.publicSubnetIds = [...vpc.subnetIds.public];
    this.privateSubnetIds = [...vpc.subnetIds.private];
    this.dataSubnetIds = [...vpc.subnetIds.data];
    this.securityGroupIds = securityGroups.securityGroupIds;
    this.natGatewayIds = [...vpc.natGatewayIds];
    this.flowLogGroupName = flowLogs.logGroupName;
  }
}
