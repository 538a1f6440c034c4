import { Testing } from "cdktf";
import { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { CloudfrontOriginAccessControl } from "@cdktf/provider-aws/lib/cloudfront-origin-access-control";
import {
  ALL_VIEWER_EXCEPT_HOST_HEADER_POLICY_ID,
  CACHING_DISABLED_POLICY_ID,
  CACHING_OPTIMIZED_POLICY_ID,
  MAINTENANCE_ERROR_RESPONSES,
  SECURITY_HEADERS_POLICY_ID,
  StaticSiteDistribution,
  type StaticSiteDistributionProps,
} from "../../modules/cdn/static-site-distribution";
import { parseSynth, resourcesOf } from "../support/fixtures";

const base: StaticSiteDistributionProps = {
  name: "upskill-dev-site",
  bucketRegionalDomainName: "upskill-dev-assets.s3.eu-west-1.amazonaws.com",
  aliases: ["dev.example.com", "www.dev.example.com"],
  certificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/cdn",
  webAclArn: "arn:aws:wafv2:us-east-1:111111111111:global/webacl/cf/1",
  logging: { bucketDomainName: "upskill-dev-logs.s3.amazonaws.com", prefix: "cloudfront/site/" },
};
const synth = (props: Partial<StaticSiteDistributionProps> = {}) => Testing.synthScope((s) => void new StaticSiteDistribution(s, "site", { ...base, ...props }));
const distributionOf = (out: string) => Object.values(resourcesOf(parseSynth(out), "aws_cloudfront_distribution"))[0];

describe("StaticSiteDistribution", () => {
  test("signs every origin request with SigV4 through an S3 origin access control", () => {
    const out = synth();
    expect(out).toHaveResourceWithProperties(CloudfrontOriginAccessControl, {
      name: "upskill-dev-site",
      origin_access_control_origin_type: "s3",
      signing_behavior: "always",
      signing_protocol: "sigv4",
    });
    const oacName = Object.keys(resourcesOf(parseSynth(out), "aws_cloudfront_origin_access_control"))[0];
    expect(distributionOf(out).origin).toEqual([
      { origin_id: "s3-origin", domain_name: base.bucketRegionalDomainName, origin_access_control_id: `\${aws_cloudfront_origin_access_control.${oacName}.id}` },
    ]);
  });

  test("HTTPS only with the us-east-1 certificate over SNI and TLSv1.2_2025, HTTP/2 and HTTP/3, IPv6, WAF", () => {
    expect(synth()).toHaveResourceWithProperties(CloudfrontDistribution, {
      enabled: true,
      aliases: base.aliases,
      http_version: "http2and3",
      is_ipv6_enabled: true,
      web_acl_id: base.webAclArn,
      price_class: "PriceClass_100",
      default_root_object: "index.html",
      viewer_certificate: { acm_certificate_arn: base.certificateArn, ssl_support_method: "sni-only", minimum_protocol_version: "TLSv1.2_2025" },
    });
  });

  test("the default behaviour redirects to HTTPS, compresses and uses the managed cache and security-headers policies", () => {
    expect(CACHING_OPTIMIZED_POLICY_ID).toBe("658327ea-f89d-4fab-a63d-7e88639e58f6");
    expect(SECURITY_HEADERS_POLICY_ID).toBe("67f7725c-6f97-4210-82d7-5512b31e9d03");
    expect(distributionOf(synth()).default_cache_behavior).toMatchObject({
      target_origin_id: "s3-origin",
      viewer_protocol_policy: "redirect-to-https",
      compress: true,
      cache_policy_id: CACHING_OPTIMIZED_POLICY_ID,
      response_headers_policy_id: SECURITY_HEADERS_POLICY_ID,
      allowed_methods: ["GET", "HEAD", "OPTIONS"],
    });
  });

  test("single-page app errors by default; standard logging to the log bucket", () => {
    const d = distributionOf(synth());
    expect(d.custom_error_response).toEqual([
      { error_code: 403, response_code: 200, response_page_path: "/index.html", error_caching_min_ttl: 10 },
      { error_code: 404, response_code: 200, response_page_path: "/index.html", error_caching_min_ttl: 10 },
    ]);
    expect(d.logging_config).toEqual({ bucket: base.logging.bucketDomainName, prefix: "cloudfront/site/", include_cookies: false });
  });

  test("options: maintenance errors (503), TLS 1.3 only, another price class", () => {
    const d = distributionOf(synth({ errorResponses: MAINTENANCE_ERROR_RESPONSES, minimumProtocolVersion: "TLSv1.3_2025", priceClass: "PriceClass_All" }));
    expect(d.custom_error_response.map((r: any) => r.response_code)).toEqual([503, 503]);
    expect(d.viewer_certificate.minimum_protocol_version).toBe("TLSv1.3_2025");
    expect(d.price_class).toBe("PriceClass_All");
  });

  test("refuses no alias, an old TLS policy, an unknown price class and a rooted default object", () => {
    expect(() => synth({ aliases: [] })).toThrow(/at least one alias/);
    expect(() => synth({ minimumProtocolVersion: "TLSv1.1_2016" as "TLSv1.2_2021" })).toThrow(/minimumProtocolVersion must be one of TLSv1.2_2021, TLSv1.2_2025, TLSv1.3_2025/);
    expect(() => synth({ priceClass: "PriceClass_300" as "PriceClass_All" })).toThrow(/priceClass must be one of/);
    expect(() => synth({ defaultRootObject: "/index.html" })).toThrow(/without a leading "\/"/);
  });

  describe("with an app origin", () => {
    const appOrigin = { domainName: "origin.dev.example.com", customHeader: { name: "X-Origin-Verify", value: "${sensitive(terraform_data.s.output.value)}" }, staticPaths: ["/assets/*", "/favicon.ico"] };
    const d = distributionOf(synth({ appOrigin }));

    test("everything but the static paths goes to the app origin over HTTPS only (TLS 1.2) with the header, uncached, every viewer header but Host forwarded", () => {
      expect(d.origin[1]).toEqual({
        origin_id: "app-origin",
        domain_name: "origin.dev.example.com",
        custom_origin_config: { http_port: 80, https_port: 443, origin_protocol_policy: "https-only", origin_ssl_protocols: ["TLSv1.2"], origin_read_timeout: 30, origin_keepalive_timeout: 5 },
        custom_header: [{ name: "X-Origin-Verify", value: "${sensitive(terraform_data.s.output.value)}" }],
      });
      expect(d.default_cache_behavior).toEqual({
        target_origin_id: "app-origin",
        viewer_protocol_policy: "redirect-to-https",
        allowed_methods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
        cached_methods: ["GET", "HEAD"],
        compress: true,
        cache_policy_id: CACHING_DISABLED_POLICY_ID,
        origin_request_policy_id: ALL_VIEWER_EXCEPT_HOST_HEADER_POLICY_ID,
        response_headers_policy_id: SECURITY_HEADERS_POLICY_ID,
      });
    });

    test("the static paths stay on the bucket with the caching policy; the app answers / and its own errors", () => {
      expect(d.origin[0]).toMatchObject({ origin_id: "s3-origin", domain_name: base.bucketRegionalDomainName });
      expect(d.ordered_cache_behavior.map((b: any) => ({ path: b.path_pattern, origin: b.target_origin_id, cache: b.cache_policy_id, methods: b.allowed_methods }))).toEqual([
        { path: "/assets/*", origin: "s3-origin", cache: CACHING_OPTIMIZED_POLICY_ID, methods: ["GET", "HEAD", "OPTIONS"] },
        { path: "/favicon.ico", origin: "s3-origin", cache: CACHING_OPTIMIZED_POLICY_ID, methods: ["GET", "HEAD", "OPTIONS"] },
      ]);
      expect(d.default_root_object).toBeUndefined();
      expect(d.custom_error_response).toEqual([]);
      expect(d.web_acl_id).toBe(base.webAclArn);
    });

    test("refuses no static path, a relative one and a read timeout beyond 60 s", () => {
      expect(() => synth({ appOrigin: { ...appOrigin, staticPaths: [] } })).toThrow(/staticPaths must list at least one/);
      expect(() => synth({ appOrigin: { ...appOrigin, staticPaths: ["assets/*"] } })).toThrow(/"assets\/\*" must start with "\/"/);
      expect(() => synth({ appOrigin: { ...appOrigin, readTimeoutSeconds: 61 } })).toThrow(/readTimeoutSeconds must be 1-60/);
    });
  });
});
