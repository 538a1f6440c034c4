import { planSubnets, parseCidr, SubnetPlanError } from "../../modules/network/subnet-plan";
import { problem, type ConfigRule } from "./types";

/** The VPC CIDR and the subnets carved out of it. */

export const vpcCidrValid: ConfigRule = (env) => {
  try {
    const vpc = parseCidr(env.network.vpcCidr);
    if (vpc.subnetMask < 16 || vpc.subnetMask > 24) {
      return [problem("network.vpcCidr", env.network.vpcCidr, "must have a prefix length between /16 and /24, the sizes a VPC accepts here")];
    }
    return [];
  } catch (e) {
    return [problem("network.vpcCidr", env.network.vpcCidr, (e as Error).message)];
  }
};

export const subnetsFit: ConfigRule = (env) => {
  try {
    parseCidr(env.network.vpcCidr);
  } catch {
    return []; // reported by vpcCidrValid
  }
  try {
    planSubnets({ vpcCidr: env.network.vpcCidr, azCount: env.availabilityZones.length, prefixLength: env.network.subnetPrefixLength });
    return [];
  } catch (e) {
    if (e instanceof SubnetPlanError) return [problem("network.subnetPrefixLength", env.network.subnetPrefixLength, e.message)];
    throw e;
  }
};

const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

export const vpcCidrPrivate: ConfigRule = (env) => {
  let vpc;
  try {
    vpc = parseCidr(env.network.vpcCidr);
  } catch {
    return []; // reported by vpcCidrValid
  }
  const inside = PRIVATE_RANGES.some((range) => vpc.isInSubnet(parseCidr(range)));
  return inside
    ? []
    : [problem("network.vpcCidr", env.network.vpcCidr, `must lie in a private (RFC 1918) range: ${PRIVATE_RANGES.join(", ")}, so it never shadows internet addresses`)];
};

/** A port or service listed twice would make two resources of the same name. */
export const networkListsUnique: ConfigRule = (env) => {
  const lists: Record<string, readonly unknown[]> = {
    appPorts: env.network.appPorts,
    internetEgressPorts: env.network.internetEgressPorts,
    interfaceEndpoints: env.network.interfaceEndpoints,
  };
  return Object.entries(lists).flatMap(([field, list]) =>
    list.flatMap((item, i) => (list.indexOf(item) !== i ? [problem(`network.${field}[${i}]`, item, "is listed twice")] : [])),
  );
};

export const networkRules: readonly ConfigRule[] = [vpcCidrValid, vpcCidrPrivate, subnetsFit, networkListsUnique];
