import { Construct } from "constructs";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";

export const SECURITY_GROUP_TIERS = ["alb", "nodes", "database", "cache", "endpoints"] as const;
export type SecurityGroupTier = (typeof SECURITY_GROUP_TIERS)[number];

export interface SecurityGroupsProps {
  /** Prefix of the group names, e.g. `upskill-prod` gives `upskill-prod-alb`. */
  readonly name: string;
  readonly vpcId: string;
  /** The VPC's CIDR: the interface endpoints accept 443 from it. */
  readonly vpcCidr: string;
  /** Ports the ALB reaches on the nodes (the app's container ports). Default: 8080. */
  readonly appPorts?: readonly number[];
  /** TCP ports the nodes reach on the internet (through NAT). Default: 443. */
  readonly internetEgressPorts?: readonly number[];
  /** Default: 5432. */
  readonly postgresPort?: number;
  /** Default: 6379. */
  readonly redisPort?: number;
}

/** One rule as planned: which group, which direction, what peer, which ports. */
export interface SecurityGroupRuleSpec {
  readonly group: SecurityGroupTier;
  readonly direction: "ingress" | "egress";
  /** Another tier's group (`self` for the group itself) or a CIDR. */
  readonly peer: { readonly group: SecurityGroupTier } | { readonly cidrIpv4: string } | { readonly cidrIpv6: string };
  /** "-1" (every protocol, every port) or "tcp". */
  readonly protocol: "-1" | "tcp";
  readonly port?: number;
  readonly description: string;
}

/**
 * A security group per tier, with rules only between tiers, each rule its own
 * resource (`aws_vpc_security_group_{ingress,egress}_rule`) so rules can be
 * added by later layers without fighting inline blocks:
 * - alb: 443 and 80 from anywhere (IPv4 and IPv6); out only to the nodes' app ports.
 * - nodes: app ports from the alb, everything from nodes; out to nodes, the
 *   database, the cache, the endpoints and the internet egress ports.
 * - database: 5432 from nodes; cache: 6379 from nodes; endpoints: 443 from the
 *   VPC. None of them may open connections (no egress rule at all; Terraform
 *   removes AWS's default allow-all egress when it creates a group).
 */
export class SecurityGroups extends Construct {
  readonly securityGroupIds: Readonly<Record<SecurityGroupTier, string>>;
  /** The rules, as planned (for review and tests). */
  readonly rules: readonly SecurityGroupRuleSpec[];

  constructor(scope: Construct, id: string, props: SecurityGroupsProps) {
    super(scope, id);
    const appPorts = props.appPorts ?? [8080];
    const internetOut = props.internetEgressPorts ?? [443];
    const postgres = props.postgresPort ?? 5432;
    const redis = props.redisPort ?? 6379;
    for (const [field, ports] of Object.entries({ appPorts, internetEgressPorts: internetOut, postgresPort: [postgres], redisPort: [redis] })) {
      const bad = ports.find((p) => !Number.isInteger(p) || p < 1 || p > 65535);
      if (bad !== undefined) throw new Error(`SecurityGroups ${id}: ${field} has ${bad}; give TCP ports between 1 and 65535`);
      if (new Set(ports).size !== ports.length) throw new Error(`SecurityGroups ${id}: ${field} lists a port twice; list each once`);
    }
    if (appPorts.length === 0) throw new Error(`SecurityGroups ${id}: appPorts is empty; the ALB would reach nothing`);

    const purposes: Record<SecurityGroupTier, string> = {
      alb: "Application Load Balancer: HTTPS (and HTTP to redirect) from the internet",
      nodes: "EKS nodes and pods: app ports from the ALB, everything between nodes",
      database: `PostgreSQL: ${postgres} from the nodes only`,
      cache: `Redis: ${redis} from the nodes only`,
      endpoints: "Interface VPC endpoints: HTTPS from the VPC",
    };
    const groups = Object.fromEntries(
      SECURITY_GROUP_TIERS.map((tier) => [
        tier,
        new SecurityGroup(this, tier, {
          name: `${props.name}-${tier}`,
          description: purposes[tier],
          vpcId: props.vpcId,
          // Cross-references (alb <-> nodes, rules added by later layers) must not block deletion.
          revokeRulesOnDelete: true,
          tags: { Name: `${props.name}-${tier}` },
        }),
      ]),
    ) as Record<SecurityGroupTier, SecurityGroup>;

    const rules: SecurityGroupRuleSpec[] = [
      ...[443, 80].flatMap((port): SecurityGroupRuleSpec[] => [
        { group: "alb", direction: "ingress", peer: { cidrIpv4: "0.0.0.0/0" }, protocol: "tcp", port, description: `${port === 443 ? "HTTPS" : "HTTP (redirected to HTTPS)"} from the internet (IPv4)` },
        { group: "alb", direction: "ingress", peer: { cidrIpv6: "::/0" }, protocol: "tcp", port, description: `${port === 443 ? "HTTPS" : "HTTP (redirected to HTTPS)"} from the internet (IPv6)` },
      ]),
      ...appPorts.map((port): SecurityGroupRuleSpec => ({ group: "alb", direction: "egress", peer: { group: "nodes" }, protocol: "tcp", port, description: `Traffic and health checks to the nodes on app port ${port}` })),

      ...appPorts.map((port): SecurityGroupRuleSpec => ({ group: "nodes", direction: "ingress", peer: { group: "alb" }, protocol: "tcp", port, description: `App port ${port} from the ALB` })),
      { group: "nodes", direction: "ingress", peer: { group: "nodes" }, protocol: "-1", description: "Everything from other nodes (pods, DNS, kubelet)" },
      { group: "nodes", direction: "egress", peer: { group: "nodes" }, protocol: "-1", description: "Everything to other nodes (pods, DNS, kubelet)" },
      { group: "nodes", direction: "egress", peer: { group: "database" }, protocol: "tcp", port: postgres, description: "PostgreSQL" },
      { group: "nodes", direction: "egress", peer: { group: "cache" }, protocol: "tcp", port: redis, description: "Redis" },
      { group: "nodes", direction: "egress", peer: { group: "endpoints" }, protocol: "tcp", port: 443, description: "AWS APIs through the interface endpoints" },
      ...internetOut.map((port): SecurityGroupRuleSpec => ({ group: "nodes", direction: "egress", peer: { cidrIpv4: "0.0.0.0/0" }, protocol: "tcp", port, description: `Port ${port} to the internet through NAT (AWS APIs, image registries)` })),

      { group: "database", direction: "ingress", peer: { group: "nodes" }, protocol: "tcp", port: postgres, description: "PostgreSQL from the nodes" },
      { group: "cache", direction: "ingress", peer: { group: "nodes" }, protocol: "tcp", port: redis, description: "Redis from the nodes" },
      { group: "endpoints", direction: "ingress", peer: { cidrIpv4: props.vpcCidr }, protocol: "tcp", port: 443, description: "HTTPS from the VPC" },
    ];

    for (const r of rules) {
      const peerName = "group" in r.peer ? r.peer.group : "cidrIpv4" in r.peer ? (r.peer.cidrIpv4 === "0.0.0.0/0" ? "internet" : "vpc") : "internet-ipv6";
      const ruleId = `${r.group}-${r.direction}-${r.protocol === "-1" ? "all" : r.port}-${r.direction === "ingress" ? "from" : "to"}-${peerName}`;
      const config = {
        securityGroupId: groups[r.group].id,
        description: r.description,
        ipProtocol: r.protocol,
        fromPort: r.protocol === "-1" ? undefined : r.port,
        toPort: r.protocol === "-1" ? undefined : r.port,
        referencedSecurityGroupId: "group" in r.peer ? groups[r.peer.group].id : undefined,
        cidrIpv4: "cidrIpv4" in r.peer ? r.peer.cidrIpv4 : undefined,
        cidrIpv6: "cidrIpv6" in r.peer ? r.peer.cidrIpv6 : undefined,
        tags: { Name: ruleId },
      };
      if (r.direction === "ingress") new VpcSecurityGroupIngressRule(this, ruleId, config);
      else new VpcSecurityGroupEgressRule(this, ruleId, config);
    }

    this.securityGroupIds = Object.fromEntries(SECURITY_GROUP_TIERS.map((t) => [t, groups[t].id])) as Record<SecurityGroupTier, string>;
    this.rules = rules;
  }
}
