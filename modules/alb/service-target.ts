import { Construct } from "constructs";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { MAX_VALUES_PER_CONDITION, MAX_VALUES_PER_RULE } from "./service-routes";

export interface ServiceTargetProps {
  /** Target group name: 1-32 letters, digits and hyphens. */
  readonly name: string;
  readonly vpcId: string;
  /** The pods' container port (targets are pod IPs). */
  readonly port: number;
  /** Path the load balancer checks on each target, starting with `/`. */
  readonly healthCheckPath: string;
  /** HTTP codes counted healthy. Default: "200-399". */
  readonly healthyHttpCodes?: string;
  /** Seconds a deregistering target keeps its connections (0-3600). Default: 30. */
  readonly deregistrationDelaySeconds?: number;
  /** The HTTPS listener the routing rule is added to. */
  readonly listenerArn: string;
  /** Rule priority (1-50000), unique on the listener. */
  readonly priority: number;
  /** Host headers routed here (at most 3). Default: none. */
  readonly hosts?: readonly string[];
  /** Path patterns routed here (at most 3). Default: none. Without hosts and paths no rule is made. */
  readonly paths?: readonly string[];
  /**
   * A header the request must also carry with one of these values (e.g. the secret CloudFront
   * adds, so that only requests through the distribution match). Its values count towards the
   * rule's 5. Default: none.
   */
  readonly requiredHeader?: { readonly name: string; readonly values: readonly string[] };
}

/**
 * An IP target group for one service (the pods join it through the AWS Load
 * Balancer Controller's TargetGroupBinding) and the listener rule that
 * forwards the service's hosts and paths to it.
 */
export class ServiceTarget extends Construct {
  readonly targetGroupArn: string;
  readonly targetGroupArnSuffix: string;
  readonly targetGroupName: string;
  readonly targetGroup: LbTargetGroup;
  /** The listener rule (undefined without hosts and paths). */
  readonly rule?: LbListenerRule;

  constructor(scope: Construct, id: string, props: ServiceTargetProps) {
    super(scope, id);
    const fail = (what: string) => {
      throw new Error(`ServiceTarget ${id}: ${what}`);
    };
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/.test(props.name)) fail(`name must be 1-32 letters, digits and hyphens, not starting or ending with '-' (got "${props.name}")`);
    if (!Number.isInteger(props.port) || props.port < 1 || props.port > 65535) fail(`port must be 1-65535, got ${props.port}`);
    if (!props.healthCheckPath.startsWith("/")) fail(`healthCheckPath must start with "/", got "${props.healthCheckPath}"`);
    const delay = props.deregistrationDelaySeconds ?? 30;
    if (!Number.isInteger(delay) || delay < 0 || delay > 3600) fail(`deregistrationDelaySeconds must be 0-3600, got ${delay}`);
    if (!Number.isInteger(props.priority) || props.priority < 1 || props.priority > 50000) fail(`priority must be 1-50000, got ${props.priority}`);
    const hosts = [...(props.hosts ?? [])];
    const paths = [...(props.paths ?? [])];
    if (hosts.length > MAX_VALUES_PER_CONDITION) fail(`a listener rule matches at most ${MAX_VALUES_PER_CONDITION} hosts, got ${hosts.length}`);
    if (paths.length > MAX_VALUES_PER_CONDITION) fail(`a listener rule matches at most ${MAX_VALUES_PER_CONDITION} path patterns, got ${paths.length}`);
    if (hosts.length + paths.length > MAX_VALUES_PER_RULE) fail(`a listener rule matches at most ${MAX_VALUES_PER_RULE} hosts and paths together, got ${hosts.length + paths.length}`);
    for (const p of paths) if (!p.startsWith("/")) fail(`path pattern "${p}" must start with "/"`);
    const header = props.requiredHeader;
    if (header) {
      if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,40}$/.test(header.name)) fail(`requiredHeader.name must be an HTTP header name of at most 40 characters, got "${header.name}"`);
      if (header.values.length < 1 || header.values.length > MAX_VALUES_PER_CONDITION) fail(`requiredHeader takes 1-${MAX_VALUES_PER_CONDITION} values, got ${header.values.length}`);
      if (hosts.length + paths.length + header.values.length > MAX_VALUES_PER_RULE) {
        fail(`a listener rule matches at most ${MAX_VALUES_PER_RULE} hosts, paths and header values together, got ${hosts.length + paths.length + header.values.length}`);
      }
      if (hosts.length + paths.length === 0) fail("requiredHeader needs hosts or paths to route");
    }

    this.targetGroup = new LbTargetGroup(this, "target-group", {
      name: props.name,
      targetType: "ip",
      protocol: "HTTP",
      protocolVersion: "HTTP1",
      port: props.port,
      vpcId: props.vpcId,
      deregistrationDelay: String(delay),
      healthCheck: {
        enabled: true,
        protocol: "HTTP",
        port: "traffic-port",
        path: props.healthCheckPath,
        matcher: props.healthyHttpCodes ?? "200-399",
        interval: 15,
        timeout: 5,
        healthyThreshold: 3,
        unhealthyThreshold: 3,
      },
    });

    if (hosts.length + paths.length > 0) {
      this.rule = new LbListenerRule(this, "rule", {
        listenerArn: props.listenerArn,
        priority: props.priority,
        action: [{ type: "forward", targetGroupArn: this.targetGroup.arn }],
        condition: [
          ...(hosts.length > 0 ? [{ hostHeader: { values: hosts } }] : []),
          ...(paths.length > 0 ? [{ pathPattern: { values: paths } }] : []),
          ...(header ? [{ httpHeader: { httpHeaderName: header.name, values: [...header.values] } }] : []),
        ],
      });
    }
    this.targetGroupArn = this.targetGroup.arn;
    this.targetGroupArnSuffix = this.targetGroup.arnSuffix;
    this.targetGroupName = props.name;
  }
}
