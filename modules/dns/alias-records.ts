import { Construct } from "constructs";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";

/** Where an alias points: a load balancer, a CloudFront distribution... */
export interface AliasTarget {
  readonly dnsName: string;
  /** The target's own hosted zone id (e.g. `Z2FDTNDATAQYW2` for CloudFront). */
  readonly zoneId: string;
}

export interface AliasRecordsProps {
  readonly zoneId: string;
  /** Fully qualified names to point at the target, e.g. `example.com`, `www.example.com`. */
  readonly names: readonly string[];
  readonly target: AliasTarget;
  /** Record types per name. Default: A and AAAA (the target must then serve IPv6, as CloudFront with IPv6 on does). */
  readonly recordTypes?: readonly ("A" | "AAAA")[];
  /** Default: false (CloudFront and S3 targets have no health to evaluate). */
  readonly evaluateTargetHealth?: boolean;
}

/** Simple-routing alias records, one per name and record type. Construct ids: `<label>-<type>`, label from the name. */
export class AliasRecords extends Construct {
  /** Record construct id to its FQDN. */
  readonly fqdns: Record<string, string> = {};

  constructor(scope: Construct, id: string, props: AliasRecordsProps) {
    super(scope, id);
    const types = props.recordTypes ?? ["A", "AAAA"];
    if (props.names.length === 0) throw new Error(`AliasRecords ${id}: give at least one name`);
    if (types.length === 0) throw new Error(`AliasRecords ${id}: give at least one record type`);
    for (const name of props.names) {
      const label = name.replace(/\./g, "-");
      for (const type of types) {
        const record = new Route53Record(this, `${label}-${type.toLowerCase()}`, {
          zoneId: props.zoneId,
          name,
          type,
          alias: { name: props.target.dnsName, zoneId: props.target.zoneId, evaluateTargetHealth: props.evaluateTargetHealth ?? false },
        });
        this.fqdns[`${label}-${type.toLowerCase()}`] = record.fqdn;
      }
    }
  }
}
