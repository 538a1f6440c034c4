import { blocks, fail, list, localAddress, num, pass } from "../helpers";
import type { Rule, RuleContext, SynthResource } from "../types";

const ANYWHERE = new Set(["0.0.0.0/0", "::/0"]);
const WEB_PORTS = new Set([80, 443]);

interface Ingress {
  readonly sources: string[];
  readonly from?: number;
  readonly to?: number;
  readonly protocol: string;
}

/** Whether a security group is the load balancer's: its name, description or construct name says so. */
function isLoadBalancerGroup(group: SynthResource | undefined): boolean | undefined {
  if (!group) return undefined;
  const text = [group.name, group.config.name, group.config.name_prefix, group.config.description].filter((x) => typeof x === "string").join(" ");
  return /(^|[^a-z0-9])(alb|lb|load[-_ ]?balancer)([^a-z0-9]|$)/i.test(text);
}

function ingressOf(resource: SynthResource): Ingress[] {
  const c = resource.config;
  switch (resource.type) {
    case "aws_vpc_security_group_ingress_rule":
      return [{ sources: [c.cidr_ipv4, c.cidr_ipv6].filter(Boolean), from: num(c.from_port), to: num(c.to_port), protocol: String(c.ip_protocol) }];
    case "aws_security_group_rule":
      return c.type === "ingress" ? [{ sources: [...list(c.cidr_blocks), ...list(c.ipv6_cidr_blocks)].map(String), from: num(c.from_port), to: num(c.to_port), protocol: String(c.protocol) }] : [];
    default:
      return blocks(c.ingress).map((i) => ({ sources: [...list(i.cidr_blocks), ...list(i.ipv6_cidr_blocks)].map(String), from: num(i.from_port), to: num(i.to_port), protocol: String(i.protocol) }));
  }
}

function groupOf(resource: SynthResource, context: RuleContext): SynthResource | undefined {
  return resource.type === "aws_security_group" ? resource : context.resolve(resource.config.security_group_id);
}

export const rule: Rule = {
  id: "security-group-open-ingress",
  category: "public exposure",
  level: "error",
  description: "No ingress from 0.0.0.0/0 or ::/0 except TCP 443 and 80 on the load balancer's security group.",
  appliesTo: ["aws_vpc_security_group_ingress_rule", "aws_security_group_rule", "aws_security_group"],
  check(resource, context) {
    const open = ingressOf(resource).filter((i) => i.sources.some((s) => ANYWHERE.has(s)));
    if (open.length === 0) return pass(resource.type === "aws_security_group_rule" && resource.config.type !== "ingress" ? "egress rule" : "no ingress from the internet");
    const group = groupOf(resource, context);
    const lb = isLoadBalancerGroup(group);
    const bad = open.filter((i) => !(["tcp", "6"].includes(i.protocol) && i.from !== undefined && i.from === i.to && WEB_PORTS.has(i.from) && lb !== false));
    const ports = open.map((i) => (i.protocol === "-1" ? "all traffic" : `${i.protocol} ${i.from === i.to ? i.from : `${i.from}-${i.to}`}`)).join(", ");
    if (bad.length > 0) {
      return fail(`open to the internet on ${ports}${group ? ` (group ${localAddress(group)})` : ""}; only the load balancer's group may accept 443 and 80 from anywhere`);
    }
    return pass(`open to the internet on ${ports}, ${lb ? `load balancer group ${localAddress(group!)}` : "group in another stack (must be the load balancer's)"}`);
  },
};
