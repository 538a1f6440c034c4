import { Construct } from "constructs";
import { NetworkAcl } from "@cdktf/provider-aws/lib/network-acl";
import { NetworkAclRule } from "@cdktf/provider-aws/lib/network-acl-rule";
import { SUBNET_TIERS, type SubnetTier } from "./subnet-plan";

/** Ports a client's side of a TCP connection may use (Linux, NAT gateways, ELB: all within 1024-65535). */
export const EPHEMERAL_PORTS = { from: 1024, to: 65535 } as const;

/** VPC quota of rules per direction of one network ACL (adjustable up to 40). */
const RULES_PER_DIRECTION = 20;

export interface NetworkAclsProps {
  /** Prefix of the Name tags, e.g. `upskill-prod`. */
  readonly name: string;
  readonly vpcId: string;
  /** The VPC's CIDR (a literal, not a token): the private tier trusts it. */
  readonly vpcCidr: string;
  /** Subnet ids of each tier; each tier's ACL is associated with its subnets. */
  readonly subnetIds: Readonly<Record<SubnetTier, readonly string[]>>;
  /** Literal CIDRs of the private subnets: the only sources the data tier accepts. */
  readonly privateSubnetCidrs: readonly string[];
  /** Ports the internet reaches the public tier (the ALB) on. Default: 443 and 80 (80 only redirects). */
  readonly publicIngressPorts?: readonly number[];
  /** TCP ports the private tier reaches on the internet through NAT. Default: 443. */
  readonly internetEgressPorts?: readonly number[];
  /** TCP ports the ALB reaches in the private tier (the app's ports). Default: 8080. */
  readonly appPorts?: readonly number[];
  /** TCP ports the data tier serves to the private tier. Default: 5432 (PostgreSQL) and 6379 (Redis). */
  readonly dataPorts?: readonly number[];
}

export interface NetworkAclRuleSpec {
  readonly egress: boolean;
  /**
   * Rule number: each kind of rule has its own block of a hundred (e.g. the data
   * tier's first port from the private subnet of AZ i is 100 + i), so adding an
   * AZ or a port never renumbers (and so never replaces) an existing rule.
   */
  readonly number: number;
  readonly cidr: string;
  /** "-1" for every protocol, "6" for TCP. */
  readonly protocol: "-1" | "6";
  readonly from?: number;
  readonly to?: number;
  /** Construct id suffix: what the rule is for. */
  readonly purpose: string;
  /** Default: allow. */
  readonly action?: "allow" | "deny";
}

const tcp = (egress: boolean, number: number, cidr: string, from: number, to: number, purpose: string): NetworkAclRuleSpec => ({ egress, number, cidr, protocol: "6", from, to, purpose });
const all = (egress: boolean, number: number, cidr: string, purpose: string): NetworkAclRuleSpec => ({ egress, number, cidr, protocol: "-1", purpose });
/** Remote administration ports, denied from the internet ahead of every allow (3389 lies in the ephemeral range). */
export const ADMIN_PORTS = [22, 3389] as const;
const denyAdminFromInternet = (): NetworkAclRuleSpec[] =>
  ADMIN_PORTS.map((p, j) => ({ egress: false, number: 50 + j, cidr: "0.0.0.0/0", protocol: "6", from: p, to: p, purpose: `in-deny-${p}-from-internet`, action: "deny" }));

/**
 * One network ACL per tier, stateless second line behind the security groups.
 * Each allows what its tier serves and the return traffic of what it starts,
 * and nothing else (the ACLs end in an implicit deny):
 * - public (ALB, NAT): in 443/80 from anywhere, the NAT'd ports from the VPC,
 *   ephemeral returns from anywhere; out the ephemeral returns, the NAT'd ports
 *   to the internet and the app ports to the VPC (those below 1024; the others
 *   fall in the ephemeral range).
 * - private (nodes, endpoints): in everything from the VPC and ephemeral returns
 *   from the internet (via NAT); out everything to the VPC and the internet
 *   egress ports.
 * - data: in only the data ports from the private subnets; out only ephemeral
 *   returns to them.
 */
export class NetworkAcls extends Construct {
  /** The ACL id of each tier. */
  readonly networkAclIds: Readonly<Record<SubnetTier, string>>;
  /** The rules of each tier, as planned (for review and tests). */
  readonly rules: Readonly<Record<SubnetTier, readonly NetworkAclRuleSpec[]>>;

  constructor(scope: Construct, id: string, props: NetworkAclsProps) {
    super(scope, id);
    const publicIn = props.publicIngressPorts ?? [443, 80];
    const internetOut = props.internetEgressPorts ?? [443];
    const appPorts = props.appPorts ?? [8080];
    const dataPorts = props.dataPorts ?? [5432, 6379];
    for (const [field, ports] of Object.entries({ publicIngressPorts: publicIn, internetEgressPorts: internetOut, appPorts, dataPorts })) {
      const bad = ports.find((p) => !Number.isInteger(p) || p < 1 || p > 65535);
      if (bad !== undefined) throw new Error(`NetworkAcls ${id}: ${field} has ${bad}; give TCP ports between 1 and 65535`);
      if (new Set(ports).size !== ports.length) throw new Error(`NetworkAcls ${id}: ${field} lists a port twice; list each once`);
      if (ports.length > 99) throw new Error(`NetworkAcls ${id}: ${field} has ${ports.length} ports; at most 99 fit a block of rule numbers`);
    }
    if (props.privateSubnetCidrs.length === 0) throw new Error(`NetworkAcls ${id}: privateSubnetCidrs is empty; the data tier would accept nobody`);
    const vpc = props.vpcCidr;
    const internet = "0.0.0.0/0";
    const eph = EPHEMERAL_PORTS;

    const natPorts = internetOut.filter((p) => !publicIn.includes(p));
    const rules: Record<SubnetTier, NetworkAclRuleSpec[]> = {
      public: [
        ...denyAdminFromInternet(),
        ...publicIn.map((p, j) => tcp(false, 100 + j, internet, p, p, `in-${p}-from-internet`)),
        // Connections the NAT gateways forward, as they arrive from the private subnets
        // (ports already open to the internet need no second rule).
        ...natPorts.map((p, j) => tcp(false, 200 + j, vpc, p, p, `in-${p}-from-vpc-for-nat`)),
        // Replies from the internet (to NAT and ALB) and from the nodes (to the ALB).
        tcp(false, 300, internet, eph.from, eph.to, "in-ephemeral"),
        // Replies to internet clients of the ALB, and NAT'd replies to the private subnets.
        tcp(true, 100, internet, eph.from, eph.to, "out-ephemeral"),
        ...internetOut.map((p, j) => tcp(true, 200 + j, internet, p, p, `out-${p}-to-internet`)),
        // ALB to the nodes; app ports inside the ephemeral range are already covered above.
        ...appPorts.filter((p) => p < eph.from).map((p, j) => tcp(true, 300 + j, vpc, p, p, `out-${p}-to-vpc`)),
      ],
      private: [
        ...denyAdminFromInternet(),
        all(false, 100, vpc, "in-all-from-vpc"),
        // Replies to connections the nodes opened through NAT arrive with internet sources.
        tcp(false, 200, internet, eph.from, eph.to, "in-ephemeral-from-internet"),
        all(true, 100, vpc, "out-all-to-vpc"),
        ...internetOut.map((p, j) => tcp(true, 200 + j, internet, p, p, `out-${p}-to-internet`)),
      ],
      data: [
        ...dataPorts.flatMap((p, j) => props.privateSubnetCidrs.map((cidr, i) => tcp(false, 100 * (j + 1) + i, cidr, p, p, `in-${p}-from-private-${i}`))),
        ...props.privateSubnetCidrs.map((cidr, i) => tcp(true, 100 + i, cidr, eph.from, eph.to, `out-ephemeral-to-private-${i}`)),
      ],
    };

    const ids = {} as Record<SubnetTier, string>;
    for (const tier of SUBNET_TIERS) {
      for (const egress of [false, true]) {
        const count = rules[tier].filter((r) => r.egress === egress).length;
        if (count > RULES_PER_DIRECTION) {
          throw new Error(`NetworkAcls ${id}: the ${tier} ACL needs ${count} ${egress ? "egress" : "ingress"} rules, over the quota of ${RULES_PER_DIRECTION}; use fewer AZs or ports`);
        }
      }
      const acl = new NetworkAcl(this, tier, { vpcId: props.vpcId, subnetIds: [...props.subnetIds[tier]], tags: { Name: `${props.name}-${tier}` } });
      ids[tier] = acl.id;
      for (const r of rules[tier]) {
        new NetworkAclRule(this, `${tier}-${r.purpose}`, {
          networkAclId: acl.id,
          egress: r.egress,
          ruleNumber: r.number,
          ruleAction: r.action ?? "allow",
          protocol: r.protocol,
          cidrBlock: r.cidr,
          fromPort: r.protocol === "-1" ? 0 : r.from,
          toPort: r.protocol === "-1" ? 0 : r.to,
        });
      }
    }
    this.networkAclIds = ids;
    this.rules = rules;
  }
}
