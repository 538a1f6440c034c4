import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { CloudfrontOriginAccessControl } from "@cdktf/provider-aws/lib/cloudfront-origin-access-control";

/** AWS managed cache policy "CachingOptimized" (no cookies or query strings in the key, compression on). */
export const CACHING_OPTIMIZED_POLICY_ID = "658327ea-f89d-4fab-a63d-7e88639e58f6";
/** AWS managed cache policy "CachingDisabled" (TTL 0): for a dynamic origin. */
export const CACHING_DISABLED_POLICY_ID = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
/**
 * AWS managed origin request policy "AllViewerExceptHostHeader": every viewer header, cookie and
 * query string, with the origin's own name as Host (so TLS and the listener rule see that name).
 */
export const ALL_VIEWER_EXCEPT_HOST_HEADER_POLICY_ID = "b689b0a8-53d0-40ab-baf2-68738e2966ac";
/** AWS managed response headers policy "SecurityHeadersPolicy" (HSTS, nosniff, frame options, referrer policy, XSS protection). */
export const SECURITY_HEADERS_POLICY_ID = "67f7725c-6f97-4210-82d7-5512b31e9d03";

/** Viewer TLS floors accepted here: TLS 1.2 security policies from 2021 on, or TLS 1.3 only. */
export const CLOUDFRONT_MINIMUM_PROTOCOLS = ["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"] as const;
export type CloudfrontMinimumProtocol = (typeof CLOUDFRONT_MINIMUM_PROTOCOLS)[number];
export const CLOUDFRONT_PRICE_CLASSES = ["PriceClass_All", "PriceClass_200", "PriceClass_100"] as const;
export type CloudfrontPriceClass = (typeof CLOUDFRONT_PRICE_CLASSES)[number];

export interface ErrorResponse {
  /** Origin status replaced, e.g. 403 (S3 answers 403 for a missing key without s3:ListBucket). */
  readonly errorCode: number;
  readonly responseCode: number;
  readonly responsePagePath: string;
  /** Seconds CloudFront caches the error. */
  readonly cachingMinTtl: number;
}

/** A single-page app: unknown paths get the app shell, which routes on the client. */
export const SPA_ERROR_RESPONSES: readonly ErrorResponse[] = [
  { errorCode: 403, responseCode: 200, responsePagePath: "/index.html", cachingMinTtl: 10 },
  { errorCode: 404, responseCode: 200, responsePagePath: "/index.html", cachingMinTtl: 10 },
];

/** A maintenance page: every path gets the page with 503, so clients and monitors see the outage. */
export const MAINTENANCE_ERROR_RESPONSES: readonly ErrorResponse[] = [
  { errorCode: 403, responseCode: 503, responsePagePath: "/index.html", cachingMinTtl: 10 },
  { errorCode: 404, responseCode: 503, responsePagePath: "/index.html", cachingMinTtl: 10 },
];

/** A dynamic origin (the load balancer) for every path the bucket does not serve. */
export interface AppOrigin {
  /** Name CloudFront connects to: HTTPS only, TLS 1.2, so the origin's certificate must cover it. */
  readonly domainName: string;
  /** A header CloudFront adds to every request to this origin (the origin secret the listener rule requires). */
  readonly customHeader: { readonly name: string; readonly value: string };
  /** Path patterns still served from the bucket, e.g. `/assets/*` (at least one). */
  readonly staticPaths: readonly string[];
  /** Default: CACHING_DISABLED_POLICY_ID (the app sets its own caching; nothing is shared between viewers). */
  readonly cachePolicyId?: string;
  /** Default: ALL_VIEWER_EXCEPT_HOST_HEADER_POLICY_ID. */
  readonly originRequestPolicyId?: string;
  /** Seconds CloudFront waits for a response (1-60 without a quota increase). Default: 30. */
  readonly readTimeoutSeconds?: number;
}

export interface StaticSiteDistributionProps {
  /** Name of the origin access control and comment of the distribution (1-64 characters for the OAC). */
  readonly name: string;
  /** The origin bucket's regional domain name (`<bucket>.s3.<region>.amazonaws.com`). */
  readonly bucketRegionalDomainName: string;
  /** Names the distribution answers to; each must be covered by the certificate. */
  readonly aliases: readonly string[];
  /** ACM certificate in us-east-1 covering every alias. */
  readonly certificateArn: string;
  /** ARN of a CLOUDFRONT-scope WAF web ACL. */
  readonly webAclArn: string;
  /** Standard logging: bucket domain name (`<bucket>.s3.amazonaws.com`, ACLs enabled) and prefix. */
  readonly logging: { readonly bucketDomainName: string; readonly prefix: string };
  /** Default: PriceClass_100 (North America and Europe edges). */
  readonly priceClass?: CloudfrontPriceClass;
  /** Default: TLSv1.2_2025. */
  readonly minimumProtocolVersion?: CloudfrontMinimumProtocol;
  /** Default: SPA_ERROR_RESPONSES; with `appOrigin`, none (the app answers its own errors). */
  readonly errorResponses?: readonly ErrorResponse[];
  /** Default: index.html; with `appOrigin`, none (`/` goes to the app). */
  readonly defaultRootObject?: string;
  /**
   * Serve everything but `appOrigin.staticPaths` from this origin (the default behavior), the
   * static paths from the bucket. Default: the bucket serves every path.
   */
  readonly appOrigin?: AppOrigin;
  /** Default: CACHING_OPTIMIZED_POLICY_ID. */
  readonly cachePolicyId?: string;
  /** Default: SECURITY_HEADERS_POLICY_ID. */
  readonly responseHeadersPolicyId?: string;
  /** Default: the stack's default provider (CloudFront is global). */
  readonly provider?: TerraformProvider;
}

const ORIGIN_ID = "s3-origin";
const APP_ORIGIN_ID = "app-origin";
const ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"];

/**
 * A CloudFront distribution serving a private S3 bucket through origin access
 * control (SigV4 on every request), optionally with a dynamic origin (`appOrigin`)
 * for every path but the static ones: HTTPS only (HTTP redirected), SNI with an
 * ACM certificate, HTTP/2 and HTTP/3, IPv6, compression, managed cache and
 * security-headers policies, custom error pages, standard logging and a WAF
 * web ACL. The bucket's policy must allow s3:GetObject to
 * cloudfront.amazonaws.com for this distribution's ARN (`distributionArn`).
 */
export class StaticSiteDistribution extends Construct {
  readonly distributionId: string;
  readonly distributionArn: string;
  readonly domainName: string;
  /** CloudFront's hosted zone id, for Route 53 aliases. */
  readonly hostedZoneId: string;
  readonly distribution: CloudfrontDistribution;

  constructor(scope: Construct, id: string, props: StaticSiteDistributionProps) {
    super(scope, id);
    const fail = (what: string): never => {
      throw new Error(`StaticSiteDistribution ${id}: ${what}`);
    };
    if (props.name.length < 1 || props.name.length > 64) fail(`name must be 1-64 characters, got "${props.name}"`);
    if (props.aliases.length === 0) fail("give at least one alias (the names the certificate covers)");
    const minimumProtocol = props.minimumProtocolVersion ?? "TLSv1.2_2025";
    if (!CLOUDFRONT_MINIMUM_PROTOCOLS.includes(minimumProtocol)) fail(`minimumProtocolVersion must be one of ${CLOUDFRONT_MINIMUM_PROTOCOLS.join(", ")}, got "${minimumProtocol}"`);
    const priceClass = props.priceClass ?? "PriceClass_100";
    if (!CLOUDFRONT_PRICE_CLASSES.includes(priceClass)) fail(`priceClass must be one of ${CLOUDFRONT_PRICE_CLASSES.join(", ")}, got "${priceClass}"`);
    const app = props.appOrigin;
    const root = props.defaultRootObject ?? (app ? undefined : "index.html");
    if (root?.startsWith("/")) fail(`defaultRootObject is an object key without a leading "/", got "${root}"`);
    if (app) {
      if (app.staticPaths.length === 0) fail("appOrigin.staticPaths must list at least one path pattern served from the bucket");
      for (const p of app.staticPaths) if (!p.startsWith("/")) fail(`appOrigin.staticPaths: "${p}" must start with "/"`);
      const timeout = app.readTimeoutSeconds ?? 30;
      if (!Number.isInteger(timeout) || timeout < 1 || timeout > 60) fail(`appOrigin.readTimeoutSeconds must be 1-60, got ${timeout}`);
    }
    if (props.logging.prefix.startsWith("/")) fail(`logging.prefix must not start with "/", got "${props.logging.prefix}"`);

    const oac = new CloudfrontOriginAccessControl(this, "origin-access-control", {
      name: props.name,
      description: `${props.name}: CloudFront signs every request to the bucket`,
      originAccessControlOriginType: "s3",
      signingBehavior: "always",
      signingProtocol: "sigv4",
      provider: props.provider,
    });

    const bucketBehavior = {
      targetOriginId: ORIGIN_ID,
      viewerProtocolPolicy: "redirect-to-https",
      allowedMethods: ["GET", "HEAD", "OPTIONS"],
      cachedMethods: ["GET", "HEAD"],
      compress: true,
      cachePolicyId: props.cachePolicyId ?? CACHING_OPTIMIZED_POLICY_ID,
      responseHeadersPolicyId: props.responseHeadersPolicyId ?? SECURITY_HEADERS_POLICY_ID,
    };
    const bucketOrigin = { originId: ORIGIN_ID, domainName: props.bucketRegionalDomainName, originAccessControlId: oac.id };
    this.distribution = new CloudfrontDistribution(this, "distribution", {
      enabled: true,
      comment: props.name,
      aliases: [...props.aliases],
      defaultRootObject: root,
      httpVersion: "http2and3",
      isIpv6Enabled: true,
      priceClass,
      webAclId: props.webAclArn,
      origin: app
        ? [
            bucketOrigin,
            {
              originId: APP_ORIGIN_ID,
              domainName: app.domainName,
              customOriginConfig: {
                httpPort: 80,
                httpsPort: 443,
                originProtocolPolicy: "https-only",
                originSslProtocols: ["TLSv1.2"],
                originReadTimeout: app.readTimeoutSeconds ?? 30,
                originKeepaliveTimeout: 5,
              },
              customHeader: [{ name: app.customHeader.name, value: app.customHeader.value }],
            },
          ]
        : [bucketOrigin],
      defaultCacheBehavior: app
        ? {
            targetOriginId: APP_ORIGIN_ID,
            viewerProtocolPolicy: "redirect-to-https",
            allowedMethods: ALL_METHODS,
            cachedMethods: ["GET", "HEAD"],
            compress: true,
            cachePolicyId: app.cachePolicyId ?? CACHING_DISABLED_POLICY_ID,
            originRequestPolicyId: app.originRequestPolicyId ?? ALL_VIEWER_EXCEPT_HOST_HEADER_POLICY_ID,
            responseHeadersPolicyId: props.responseHeadersPolicyId ?? SECURITY_HEADERS_POLICY_ID,
          }
        : bucketBehavior,
      orderedCacheBehavior: app ? app.staticPaths.map((pathPattern) => ({ pathPattern, ...bucketBehavior })) : undefined,
      customErrorResponse: (props.errorResponses ?? (app ? [] : SPA_ERROR_RESPONSES)).map((r) => ({
        errorCode: r.errorCode,
        responseCode: r.responseCode,
        responsePagePath: r.responsePagePath,
        errorCachingMinTtl: r.cachingMinTtl,
      })),
      viewerCertificate: { acmCertificateArn: props.certificateArn, sslSupportMethod: "sni-only", minimumProtocolVersion: minimumProtocol },
      loggingConfig: { bucket: props.logging.bucketDomainName, prefix: props.logging.prefix, includeCookies: false },
      restrictions: { geoRestriction: { restrictionType: "none" } },
      provider: props.provider,
    });
    this.distributionId = this.distribution.id;
    this.distributionArn = this.distribution.arn;
    this.domainName = this.distribution.domainName;
    this.hostedZoneId = this.distribution.hostedZoneId;
  }
}
