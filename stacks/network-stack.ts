import type { Construct } from "constructs";
import { LayerStack, type LayerStackProps } from "./layer-stack";

export type NetworkStackProps = LayerStackProps;

/** `<env>-network`: VPC, subnets per tier and AZ, NAT, NACLs, security groups, endpoints, flow logs. */
export class NetworkStack extends LayerStack {
  constructor(scope: Construct, props: NetworkStackProps) {
    super(scope, "network", props);
  }
}
