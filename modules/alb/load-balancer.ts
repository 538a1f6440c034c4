import { Construct } from "constructs";
import { Token } from "cdktf";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";

/**
 * AWS's recommended TLS policy (TLS 1.3 and 1.2, hybrid post-quantum key
 * exchange). Set explicitly: the API's default is still ELBSecurityPolicy-2016-08.
 */
export const DEFAULT_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09";

export interface ApplicationLoadBalancerProps {
  /** Load balancer name: 1-32 letters, digits and hyphens, not starting or ending with a hyphen. */
  readonly name: string;
  /** Public subnets, one per AZ (at least two AZs). */
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  /** Certificate of the HTTPS listener (a validated ACM certificate in the load balancer's region). */
  readonly certificateArn: string;
  /** Where access logs go: a bucket in the same region whose policy lets Elastic Load Balancing write (SSE-S3 only). */
  readonly accessLogs: { readonly bucket: string; readonly prefix: string };
  /** Seconds a connection may idle (1-4000). Default: 60. */
  readonly idleTimeoutSeconds?: number;
  /** TLS policy of the HTTPS listener; must be a TLS 1.3 one. Default: DEFAULT_TLS_POLICY. */
  readonly sslPolicy?: string;
  /** Default: true; turn off only to delete the load balancer on purpose. */
  readonly deletionProtection?: boolean;
  /** REGIONAL WAF web ACL to associate. Default: none. */
  readonly webAclArn?: string;
}

/**
 * An internet-facing Application Load Balancer: HTTP/2, invalid headers dropped,
 * strictest desync mitigation, deletion protection, access logs; an HTTPS
 * listener whose default answer is 404 (services add host/path rules) and an
 * HTTP listener that only redirects to HTTPS (301).
 */
export class ApplicationLoadBalancer extends Construct {
  readonly albArn: string;
  readonly albArnSuffix: string;
  readonly albDnsName: string;
  readonly albZoneId: string;
  readonly httpsListenerArn: string;
  readonly loadBalancer: Lb;

  constructor(scope: Construct, id: string, props: ApplicationLoadBalancerProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/.test(props.name) || props.name.startsWith("internal-")) {
      throw new Error(`ApplicationLoadBalancer ${id}: name must be 1-32 letters, digits and hyphens, not starting or ending with '-' (got "${props.name}")`);
    }
    if (!Token.isUnresolved(props.subnetIds) && props.subnetIds.length < 2) {
      throw new Error(`ApplicationLoadBalancer ${id}: give public subnets in at least two AZs (got ${props.subnetIds.length})`);
    }
    const idle = props.idleTimeoutSeconds ?? 60;
    if (!Number.isInteger(idle) || idle < 1 || idle > 4000) throw new Error(`ApplicationLoadBalancer ${id}: idleTimeoutSeconds must be 1-4000, got ${idle}`);
    const sslPolicy = props.sslPolicy ?? DEFAULT_TLS_POLICY;
    if (!sslPolicy.startsWith("ELBSecurityPolicy-TLS13-")) {
      throw new Error(`ApplicationLoadBalancer ${id}: sslPolicy must be a TLS 1.3 policy (ELBSecurityPolicy-TLS13-...), got "${sslPolicy}"`);
    }
    if (props.accessLogs.prefix.includes("AWSLogs") || props.accessLogs.prefix.startsWith("/") || props.accessLogs.prefix.endsWith("/")) {
      throw new Error(`ApplicationLoadBalancer ${id}: accessLogs.prefix must not contain "AWSLogs" nor start or end with "/" (got "${props.accessLogs.prefix}")`);
    }

    this.loadBalancer = new Lb(this, "alb", {
      name: props.name,
      loadBalancerType: "application",
      internal: false,
      ipAddressType: "ipv4",
      subnets: props.subnetIds,
      securityGroups: props.securityGroupIds,
      enableHttp2: true,
      dropInvalidHeaderFields: true,
      desyncMitigationMode: "strictest",
      enableDeletionProtection: props.deletionProtection ?? true,
      idleTimeout: idle,
      accessLogs: { enabled: true, bucket: props.accessLogs.bucket, prefix: props.accessLogs.prefix },
    });

    const https = new LbListener(this, "https", {
      loadBalancerArn: this.loadBalancer.arn,
      port: 443,
      protocol: "HTTPS",
      sslPolicy,
      certificateArn: props.certificateArn,
      defaultAction: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "Not found" } }],
    });
    new LbListener(this, "http-redirect", {
      loadBalancerArn: this.loadBalancer.arn,
      port: 80,
      protocol: "HTTP",
      defaultAction: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
    });
    if (props.webAclArn !== undefined) {
      new Wafv2WebAclAssociation(this, "waf", { resourceArn: this.loadBalancer.arn, webAclArn: props.webAclArn });
    }

    this.albArn = this.loadBalancer.arn;
    this.albArnSuffix = this.loadBalancer.arnSuffix;
    this.albDnsName = this.loadBalancer.dnsName;
    this.albZoneId = this.loadBalancer.zoneId;
    this.httpsListenerArn = https.arn;
  }
}
