import { Construct } from "constructs";
import { Vpc as VpcResource } from "@cdktf/provider-aws/lib/vpc";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { DefaultRouteTable } from "@cdktf/provider-aws/lib/default-route-table";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { DefaultNetworkAcl } from "@cdktf/provider-aws/lib/default-network-acl";
import { planSubnets, SUBNET_TIERS, SubnetPlanError, type SubnetPlan, type SubnetTier } from "./subnet-plan";

/** One NAT gateway per AZ (an AZ outage leaves the others online) or a single one (cheaper). */
export type NatGatewayStrategy = "per-az" | "single";

export interface VpcProps {
  /** Prefix of every Name tag, e.g. `upskill-prod`. */
  readonly name: string;
  /** IPv4 CIDR of the VPC, e.g. 10.30.0.0/16. */
  readonly cidr: string;
  /** Availability zones, in order; each gets one public, one private and one data subnet. */
  readonly availabilityZones: readonly string[];
  /** Prefix length of each tier's subnets. Default: public /24, private /20 (pods take VPC addresses), data /24. */
  readonly subnetPrefixLength?: Readonly<Record<SubnetTier, number>>;
  /** Default: `per-az`, so losing an AZ never cuts the others off the internet. */
  readonly natGateways?: NatGatewayStrategy;
  /**
   * EKS cluster whose load balancer controller may use the public and private
   * subnets (tag `kubernetes.io/cluster/<name>=shared`). Default: no cluster tag.
   */
  readonly clusterName?: string;
}

/**
 * A VPC with DNS support and hostnames, and per AZ a public subnet (ALB, NAT),
 * a private subnet (nodes, endpoints) and a data subnet (databases, caches).
 * Routes: public -> internet gateway; private -> the NAT gateway of its AZ
 * (or the single one); data -> nothing beyond the VPC. The default security
 * group, network ACL and route table are adopted and emptied, so nothing placed
 * in them by mistake gets any access.
 */
export class Vpc extends Construct {
  readonly vpcId: string;
  /** The VPC's CIDR, as configured (a plain string, not a token). */
  readonly vpcCidr: string;
  readonly availabilityZones: readonly string[];
  /** The CIDRs of every subnet, computed at synthesis. */
  readonly plan: SubnetPlan;
  /** Subnet ids of each tier, in AZ order. */
  readonly subnetIds: Readonly<Record<SubnetTier, readonly string[]>>;
  /**
   * Route table ids of each tier: public has one shared table, private one per AZ
   * (in AZ order; each routes to its NAT), data one shared table without internet route.
   */
  readonly routeTableIds: Readonly<Record<SubnetTier, readonly string[]>>;
  readonly internetGatewayId: string;
  /** One per AZ (`per-az`) or one in the first AZ (`single`). */
  readonly natGatewayIds: readonly string[];
  /** The NAT gateways' public addresses (what third parties allow-list). */
  readonly natPublicIps: readonly string[];

  constructor(scope: Construct, id: string, props: VpcProps) {
    super(scope, id);
    const azs = [...props.availabilityZones];
    if (azs.length === 0) throw new Error(`Vpc ${id}: availabilityZones is empty; list at least one AZ (two or more for availability)`);
    const duplicate = azs.find((az, i) => azs.indexOf(az) !== i);
    if (duplicate) throw new Error(`Vpc ${id}: availability zone ${duplicate} is listed twice; list each AZ once`);
    if (!/^[a-z0-9][a-z0-9-]*$/.test(props.name)) throw new Error(`Vpc ${id}: name ${JSON.stringify(props.name)} must be lower-case letters, digits and hyphens`);
    const strategy = props.natGateways ?? "per-az";
    if (strategy !== "per-az" && strategy !== "single") throw new Error(`Vpc ${id}: natGateways must be "per-az" or "single", got ${JSON.stringify(strategy)}`);
    try {
      this.plan = planSubnets({
        vpcCidr: props.cidr,
        azCount: azs.length,
        prefixLength: props.subnetPrefixLength ?? { public: 24, private: 20, data: 24 },
      });
    } catch (e) {
      if (e instanceof SubnetPlanError) throw new Error(`Vpc ${id}: cidr ${props.cidr}: ${e.message}`);
      throw e;
    }
    this.vpcCidr = props.cidr;
    this.availabilityZones = azs;
    const name = props.name;

    const vpc = new VpcResource(this, "vpc", {
      cidrBlock: props.cidr,
      enableDnsSupport: true,
      // Needed by the interface endpoints' private DNS names and by EKS nodes.
      enableDnsHostnames: true,
      tags: { Name: name },
    });
    this.vpcId = vpc.id;

    // Adopted and left without rules or routes: anything that lands in them by accident is cut off.
    new DefaultSecurityGroup(this, "default-security-group", { vpcId: vpc.id, ingress: [], egress: [], tags: { Name: `${name}-default-deny` } });
    new DefaultNetworkAcl(this, "default-network-acl", {
      defaultNetworkAclId: vpc.defaultNetworkAclId,
      ingress: [],
      egress: [],
      tags: { Name: `${name}-default-deny` },
      // Every subnet has its own tier ACL; do not fight the implicit associations.
      lifecycle: { ignoreChanges: ["subnet_ids"] },
    });
    new DefaultRouteTable(this, "default-route-table", { defaultRouteTableId: vpc.defaultRouteTableId, route: [], tags: { Name: `${name}-default-unused` } });

    const clusterTag: Record<string, string> = props.clusterName ? { [`kubernetes.io/cluster/${props.clusterName}`]: "shared" } : {};
    // Where the AWS Load Balancer Controller looks for subnets of internet-facing and internal load balancers.
    const tierTags: Record<SubnetTier, Record<string, string>> = {
      public: { "kubernetes.io/role/elb": "1", ...clusterTag },
      private: { "kubernetes.io/role/internal-elb": "1", ...clusterTag },
      data: {},
    };
    const subnets = {} as Record<SubnetTier, Subnet[]>;
    for (const tier of SUBNET_TIERS) {
      subnets[tier] = azs.map(
        (az, i) =>
          new Subnet(this, `${tier}-${az}`, {
            vpcId: vpc.id,
            availabilityZone: az,
            cidrBlock: this.plan.cidrs[tier][i]!,
            // Nothing gets a public address by accident; the ALB and NAT gateways bring their own.
            mapPublicIpOnLaunch: false,
            tags: { Name: `${name}-${tier}-${az}`, Tier: tier, ...tierTags[tier] },
          }),
      );
    }
    this.subnetIds = Object.fromEntries(SUBNET_TIERS.map((t) => [t, subnets[t].map((s) => s.id)])) as Record<SubnetTier, string[]>;

    const igw = new InternetGateway(this, "internet-gateway", { vpcId: vpc.id, tags: { Name: name } });
    this.internetGatewayId = igw.id;

    const natAzs = strategy === "per-az" ? azs : [azs[0]!];
    const nats = natAzs.map((az) => {
      const eip = new Eip(this, `nat-eip-${az}`, { domain: "vpc", tags: { Name: `${name}-nat-${az}` }, dependsOn: [igw] });
      return new NatGateway(this, `nat-${az}`, {
        allocationId: eip.allocationId,
        subnetId: subnets.public[azs.indexOf(az)]!.id,
        connectivityType: "public",
        tags: { Name: `${name}-nat-${az}` },
        dependsOn: [igw],
      });
    });
    this.natGatewayIds = nats.map((n) => n.id);
    this.natPublicIps = nats.map((n) => n.publicIp);

    const publicTable = new RouteTable(this, "public-routes", { vpcId: vpc.id, tags: { Name: `${name}-public` } });
    new Route(this, "public-internet", { routeTableId: publicTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id });

    // One private table per AZ even with a single NAT, so switching strategy only retargets routes.
    const privateTables = azs.map((az, i) => {
      const table = new RouteTable(this, `private-routes-${az}`, { vpcId: vpc.id, tags: { Name: `${name}-private-${az}` } });
      const nat = strategy === "per-az" ? nats[i]! : nats[0]!;
      new Route(this, `private-internet-${az}`, { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id });
      return table;
    });

    // No route but the implicit local one: the data tier cannot reach or be reached from the internet.
    const dataTable = new RouteTable(this, "data-routes", { vpcId: vpc.id, tags: { Name: `${name}-data` } });

    azs.forEach((az, i) => {
      new RouteTableAssociation(this, `public-${az}-routes`, { subnetId: subnets.public[i]!.id, routeTableId: publicTable.id });
      new RouteTableAssociation(this, `private-${az}-routes`, { subnetId: subnets.private[i]!.id, routeTableId: privateTables[i]!.id });
      new RouteTableAssociation(this, `data-${az}-routes`, { subnetId: subnets.data[i]!.id, routeTableId: dataTable.id });
    });
    this.routeTableIds = { public: [publicTable.id], private: privateTables.map((t) => t.id), data: [dataTable.id] };
  }
}
