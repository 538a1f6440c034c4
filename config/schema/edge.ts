import { z } from "zod";

/** The edge layer: DNS, certificates, ALB, WAF and CloudFront. */

const dnsLabel = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "must be one DNS label such as api");

export const edgeSchema = z
  .object({
    /** Create the hosted zone, or look up an existing one by the domain name. */
    createHostedZone: z.boolean().default(false),
    apiSubdomain: dnsLabel.default("api"),
    /**
     * Name (label) aliased to the load balancer only, which the API's Route 53 health
     * check probes: probing the failover name itself would reach the maintenance page
     * after a failover. Default: `<apiSubdomain>-origin`.
     */
    apiOriginSubdomain: dnsLabel.optional(),
    healthCheckPath: z.string().regex(/^\/[\x21-\x7e]*$/, "must be a URL path starting with '/'").default("/healthz"),
    albIdleTimeoutSeconds: z.number().int().min(1).max(4000).default(60),
    /** Seconds a deregistering pod keeps its in-flight requests. */
    targetDeregistrationDelaySeconds: z.number().int().min(0, "must be 0-3600 seconds").max(3600, "must be 0-3600 seconds").default(30),
    /** Requests per 5 minutes per client IP; AWS WAF's minimum is 10. */
    wafRateLimit: z.number().int().min(10, "must be at least 10, AWS WAF's minimum for a rate-based rule").max(2_000_000_000).default(2000),
    cdnPriceClass: z.enum(["PriceClass_All", "PriceClass_200", "PriceClass_100"], {
      error: "must be a CloudFront price class: PriceClass_All, PriceClass_200 or PriceClass_100",
    }),
    cdnMinimumProtocol: z
      .enum(["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"], { error: "must be a CloudFront security policy: TLSv1.2_2021, TLSv1.2_2025 or TLSv1.3_2025" })
      .default("TLSv1.2_2025"),
  })
  .strict();

export type EdgeConfig = z.infer<typeof edgeSchema>;
