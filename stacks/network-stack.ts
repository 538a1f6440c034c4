import type { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { LayerStack, type LayerStackProps } from "./layer-stack";
import { Vpc } from "../modules/network/vpc";
import { NetworkAcls } from "../modules/network/network-acls";
import { SecurityGroups, type SecurityGroupTier } from "../modules/network/security-groups";
import { FlowLogs } from "../modules/network/flow-logs";
import { VpcEndpoints } from "../modules/network/endpoints";
import { HostedZone } from "../modules/dns/hosted-zone";
import { ZoneDelegation } from "../modules/dns/zone-delegation";

export type NetworkStackProps = LayerStackProps;

/**
 * `<env>-network`: VPC, subnets per tier and AZ, NAT, NACLs, security groups, endpoints, flow logs,
 * and the environment's public hosted zone (created or looked up, `domain.zone`): the first layer
 * applied, so that a created zone is delegated before the edge layer's certificates validate
 * through it (docs/dns-and-edge.md).
 */
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
  /** The public zone of `domain.name`. */
  readonly hostedZoneId: string;
  /** Its name servers (what the parent zone must delegate to). */
  readonly hostedZoneNameServers: string[];

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

    const domain = env.domain;
    // Construct id "zone", as in the edge layer before: the same Terraform address in this state.
    const zone = new HostedZone(this, "zone", { domainName: domain.name, create: domain.zone === "create" });
    if (domain.zone === "create" && domain.parentZone !== undefined) {
      new ZoneDelegation(this, "zone-delegation", { zoneName: domain.name, nameServers: zone.nameServers, parentZoneName: domain.parentZone });
    }
    // Read by tools/ci/delegation.ts, which waits for the delegation before the edge layer.
    new TerraformOutput(this, "zone-name", { value: domain.name, description: "The environment's public hosted zone" });
    new TerraformOutput(this, "zone-id", { value: zone.zoneId });
    new TerraformOutput(this, "name-servers", {
      value: zone.nameServers,
      description: domain.zone === "create" && domain.parentZone === undefined ? `Delegate ${domain.name} to these name servers in its parent zone` : `Name servers of ${domain.name}`,
    });

    this.vpcId = vpc.vpcId;
    this.vpcCidr = vpc.vpcCidr;
    this.publicSubnetIds = [...vpc.subnetIds.public];
    this.privateSubnetIds = [...vpc.subnetIds.private];
    this.dataSubnetIds = [...vpc.subnetIds.data];
    this.securityGroupIds = securityGroups.securityGroupIds;
    this.natGatewayIds = [...vpc.natGatewayIds];
    this.flowLogGroupName = flowLogs.logGroupName;
    this.hostedZoneId = zone.zoneId;
    this.hostedZoneNameServers = zone.nameServers;
  }
}
