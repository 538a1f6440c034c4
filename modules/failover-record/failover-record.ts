import { Construct } from "constructs";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { HttpsHealthCheck, type HttpsHealthCheckProps } from "./health-check";

/** Where one side of the pair points (alias). */
export interface FailoverTarget {
  readonly dnsName: string;
  /** The target's hosted zone id. */
  readonly zoneId: string;
}

export interface FailoverRecordProps {
  readonly zoneId: string;
  /** The name that fails over, e.g. `api.example.com`. */
  readonly name: string;
  /**
   * Served while the health check passes (e.g. the load balancer). Its alias does not evaluate
   * target health: an ALB alias is healthy only while every target group with targets is, so another
   * service's outage would fail this name over. The health check alone decides.
   */
  readonly primary: FailoverTarget;
  /** Served when the primary is unhealthy (e.g. a static maintenance page on CloudFront). */
  readonly secondary: FailoverTarget;
  /** The check of the primary; its fqdn must differ from `name`. */
  readonly healthCheck: HttpsHealthCheckProps;
  /** Record types of the pair. Default: A only (IPv4; add AAAA only when both targets serve IPv6). */
  readonly recordTypes?: readonly ("A" | "AAAA")[];
}

/**
 * A failover pair of alias records for one name: PRIMARY judged by its health
 * check alone (no target-health evaluation), SECONDARY without. Construct ids:
 * `health-check`, `primary-<type>`, `secondary-<type>`.
 */
export class FailoverRecord extends Construct {
  readonly healthCheckId: string;
  readonly fqdn: string;

  constructor(scope: Construct, id: string, props: FailoverRecordProps) {
    super(scope, id);
    if (props.healthCheck.fqdn === props.name) {
      throw new Error(
        `FailoverRecord ${id}: the health check must probe the primary under another name than "${props.name}" (e.g. a name aliased to the primary only); probing the failover name itself reaches the secondary after a failover`,
      );
    }
    const types = props.recordTypes ?? ["A"];
    if (types.length === 0) throw new Error(`FailoverRecord ${id}: give at least one record type`);
    const check = new HttpsHealthCheck(this, "health-check", { name: `${props.name} primary`, ...props.healthCheck });
    this.healthCheckId = check.healthCheckId;
    this.fqdn = props.name;
    for (const type of types) {
      for (const role of ["primary", "secondary"] as const) {
        const target = props[role];
        new Route53Record(this, `${role}-${type.toLowerCase()}`, {
          zoneId: props.zoneId,
          name: props.name,
          type,
          setIdentifier: role,
          failoverRoutingPolicy: { type: role === "primary" ? "PRIMARY" : "SECONDARY" },
          healthCheckId: role === "primary" ? check.healthCheckId : undefined,
          alias: { name: target.dnsName, zoneId: target.zoneId, evaluateTargetHealth: false },
        });
      }
    }
  }
}
