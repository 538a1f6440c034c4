import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { DataAwsRoute53Zone } from "@cdktf/provider-aws/lib/data-aws-route53-zone";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";

export interface ZoneDelegationProps {
  /** The delegated zone's name, e.g. `dev.example.com`. */
  readonly zoneName: string;
  /** Its name servers (the created zone's `name_servers`). */
  readonly nameServers: string[];
  /** The parent zone, a public zone the provider's account holds, e.g. `example.com`. */
  readonly parentZoneName: string;
  /** TTL of the NS record, seconds. Default: 3600 (a changed delegation spreads within the hour). */
  readonly ttl?: number;
  /** Provider of the parent zone's account. Default: the stack's default provider. */
  readonly provider?: TerraformProvider;
}

/**
 * The NS record that delegates a zone from its parent, when the parent zone is managed in the
 * same account: the parent is looked up by name, the record names the child's name servers.
 * Construct ids: `parent-zone` (data source), `ns-record`.
 */
export class ZoneDelegation extends Construct {
  readonly parentZoneId: string;

  constructor(scope: Construct, id: string, props: ZoneDelegationProps) {
    super(scope, id);
    if (!props.zoneName.endsWith(`.${props.parentZoneName}`)) {
      throw new Error(`ZoneDelegation ${id}: ${props.zoneName} is not under ${props.parentZoneName}; the parent zone must be an ancestor of the zone`);
    }
    const ttl = props.ttl ?? 3600;
    if (!Number.isInteger(ttl) || ttl < 1) throw new Error(`ZoneDelegation ${id}: ttl must be a positive number of seconds, got ${ttl}`);
    const parent = new DataAwsRoute53Zone(this, "parent-zone", { name: props.parentZoneName, privateZone: false, provider: props.provider });
    new Route53Record(this, "ns-record", {
      zoneId: parent.zoneId,
      name: props.zoneName,
      type: "NS",
      ttl,
      records: props.nameServers,
      provider: props.provider,
    });
    this.parentZoneId = parent.zoneId;
  }
}
