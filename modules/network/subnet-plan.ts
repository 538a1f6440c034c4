import { Address4 } from "ip-address";

export type SubnetTier = "public" | "private" | "data";

export const SUBNET_TIERS: readonly SubnetTier[] = ["public", "private", "data"];

export interface SubnetPlanProps {
  /** The VPC's CIDR block, e.g. 10.20.0.0/16. */
  readonly vpcCidr: string;
  /** How many availability zones get one subnet of each tier. */
  readonly azCount: number;
  /** Prefix length of each tier's subnets. */
  readonly prefixLength: Readonly<Record<SubnetTier, number>>;
}

export interface PlannedSubnet {
  readonly tier: SubnetTier;
  /** Index of the availability zone, in the configured order. */
  readonly azIndex: number;
  readonly cidr: string;
}

export interface SubnetPlan {
  readonly subnets: readonly PlannedSubnet[];
  /** The CIDRs of one tier, in AZ order. */
  readonly cidrs: Readonly<Record<SubnetTier, readonly string[]>>;
}

/** Why a plan cannot be made; the message says what to change. */
export class SubnetPlanError extends Error {}

/**
 * Lays out one subnet per tier per AZ inside the VPC CIDR. Larger subnets are
 * placed first, each aligned to its own size, so the plan is deterministic and
 * nothing overlaps; the same inputs always give the same CIDRs, which keeps
 * subnets from being replaced when the code changes.
 */
export function planSubnets(props: SubnetPlanProps): SubnetPlan {
  const vpc = parseCidr(props.vpcCidr);
  const vpcEnd = vpc.endAddress().bigInt();
  // Largest first (smallest prefix); ties keep the tier order for stability.
  const order = [...SUBNET_TIERS].sort((a, b) => props.prefixLength[a] - props.prefixLength[b]);
  let cursor = vpc.startAddress().bigInt();
  const subnets: PlannedSubnet[] = [];
  for (const tier of order) {
    const prefix = props.prefixLength[tier];
    if (prefix < vpc.subnetMask) {
      throw new SubnetPlanError(`${tier} subnets (/${prefix}) are larger than the VPC (/${vpc.subnetMask})`);
    }
    for (let azIndex = 0; azIndex < props.azCount; azIndex++) {
      let block = new Address4(`${Address4.fromBigInt(cursor).correctForm()}/${prefix}`);
      if (block.startAddress().bigInt() < cursor) block = block.nextNetwork();
      if (block.endAddress().bigInt() > vpcEnd) {
        throw new SubnetPlanError(
          `${props.azCount} AZs x (public /${props.prefixLength.public} + private /${props.prefixLength.private} + data /${props.prefixLength.data}) do not fit in ${props.vpcCidr}; use a larger VPC CIDR or longer subnet prefixes`,
        );
      }
      subnets.push({ tier, azIndex, cidr: block.networkForm() });
      cursor = block.endAddress().bigInt() + 1n;
    }
  }
  const cidrs = Object.fromEntries(
    SUBNET_TIERS.map((tier) => [tier, subnets.filter((s) => s.tier === tier).sort((a, b) => a.azIndex - b.azIndex).map((s) => s.cidr)]),
  ) as Record<SubnetTier, string[]>;
  return { subnets: [...subnets].sort((a, b) => SUBNET_TIERS.indexOf(a.tier) - SUBNET_TIERS.indexOf(b.tier) || a.azIndex - b.azIndex), cidrs };
}

/** Parses an IPv4 CIDR whose host bits are zero, or throws SubnetPlanError. */
export function parseCidr(cidr: string): Address4 {
  if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr) || !Address4.isValid(cidr)) {
    throw new SubnetPlanError("is not an IPv4 CIDR such as 10.20.0.0/16");
  }
  const address = new Address4(cidr);
  if (address.startAddress().correctForm() !== address.correctForm()) {
    throw new SubnetPlanError(`has host bits set; the network address is ${address.startAddress().correctForm()}/${address.subnetMask}`);
  }
  return address;
}
