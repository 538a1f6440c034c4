import { Construct } from "constructs";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";
import { DataAwsRoute53Zone } from "@cdktf/provider-aws/lib/data-aws-route53-zone";

export interface HostedZoneProps {
  /** The zone's domain, e.g. `dev.example.com`. */
  readonly domainName: string;
  /**
   * Create the public zone here (its name servers must then be delegated from
   * the parent zone), or look up an existing public zone of that name.
   */
  readonly create: boolean;
}

/**
 * The environment's public Route 53 zone, created (and kept from being
 * destroyed with its records) or looked up by name.
 */
export class HostedZone extends Construct {
  readonly zoneId: string;
  readonly domainName: string;
  /** The zone's name servers, to delegate to from the parent zone when it is created here. */
  readonly nameServers: string[];

  constructor(scope: Construct, id: string, props: HostedZoneProps) {
    super(scope, id);
    if (!/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(props.domainName)) {
      throw new Error(`HostedZone ${id}: domainName must be a lower-case DNS name such as example.com, got "${props.domainName}"`);
    }
    this.domainName = props.domainName;
    if (props.create) {
      const zone = new Route53Zone(this, "zone", {
        name: props.domainName,
        comment: `Public zone of ${props.domainName}`,
        forceDestroy: false,
        // Recreating a zone changes its name servers and breaks the delegation.
        lifecycle: { preventDestroy: true },
      });
      this.zoneId = zone.zoneId;
      this.nameServers = zone.nameServers;
    } else {
      const zone = new DataAwsRoute53Zone(this, "zone", { name: props.domainName, privateZone: false });
      this.zoneId = zone.zoneId;
      this.nameServers = zone.nameServers;
    }
  }
}
