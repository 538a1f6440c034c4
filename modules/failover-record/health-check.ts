import { Construct } from "constructs";
import { Route53HealthCheck } from "@cdktf/provider-aws/lib/route53-health-check";

export interface HttpsHealthCheckProps {
  /**
   * Name the checkers resolve, send as SNI and as the Host header. Not the name of
   * the records the check guards: once they fail over, the check would probe the
   * secondary and fail back (AWS documents the results as unpredictable).
   */
  readonly fqdn: string;
  /** Path requested, starting with `/`. */
  readonly resourcePath: string;
  /** Default: 443. */
  readonly port?: number;
  /** Seconds between checks by each checker: 10 or 30. Default: 30 (10 costs more). */
  readonly requestInterval?: 10 | 30;
  /** Consecutive failures before the endpoint is unhealthy (1-10). Default: 3. */
  readonly failureThreshold?: number;
  /** Record latency metrics (CloudWatch, us-east-1). Default: true. */
  readonly measureLatency?: boolean;
  /** Name tag shown in the console. Default: the fqdn. */
  readonly name?: string;
}

/** A Route 53 HTTPS health check of one endpoint, with SNI; healthy on a 2xx or 3xx answer. */
export class HttpsHealthCheck extends Construct {
  readonly healthCheckId: string;
  readonly healthCheck: Route53HealthCheck;

  constructor(scope: Construct, id: string, props: HttpsHealthCheckProps) {
    super(scope, id);
    if (!props.resourcePath.startsWith("/")) throw new Error(`HttpsHealthCheck ${id}: resourcePath must start with "/", got "${props.resourcePath}"`);
    const threshold = props.failureThreshold ?? 3;
    if (!Number.isInteger(threshold) || threshold < 1 || threshold > 10) throw new Error(`HttpsHealthCheck ${id}: failureThreshold must be 1-10, got ${threshold}`);
    const interval = props.requestInterval ?? 30;
    if (interval !== 10 && interval !== 30) throw new Error(`HttpsHealthCheck ${id}: requestInterval must be 10 or 30 seconds, got ${interval}`);
    this.healthCheck = new Route53HealthCheck(this, "check", {
      type: "HTTPS",
      fqdn: props.fqdn,
      port: props.port ?? 443,
      resourcePath: props.resourcePath,
      requestInterval: interval,
      failureThreshold: threshold,
      measureLatency: props.measureLatency ?? true,
      enableSni: true,
      tags: { Name: props.name ?? props.fqdn },
    });
    this.healthCheckId = this.healthCheck.id;
  }
}
