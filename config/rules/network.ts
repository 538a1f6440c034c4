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

export const networkRules: readonly ConfigRule[] = [vpcCidrValid, subnetsFit];
