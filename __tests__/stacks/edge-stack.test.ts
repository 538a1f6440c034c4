import { DefaultTokenResolver, StringConcat, Testing, Tokenization } from "cdktf";
import { EdgeStack, type EdgeStackProps } from "../../stacks/edge-stack";
import {
  ALL_VIEWER_EXCEPT_HOST_HEADER_POLICY_ID,
  CACHING_DISABLED_POLICY_ID,
  CACHING_OPTIMIZED_POLICY_ID,
  SECURITY_HEADERS_POLICY_ID,
} from "../../modules/cdn/static-site-distribution";
import { parseSynth, resourcesOf, shippedEnvironment, SHIPPED_ENVIRONMENTS, testApp, type SynthJson } from "../support/fixtures";

const fakes = (env: string, account: string): Omit<EdgeStackProps, "environment"> => ({
  network: { vpcId: "vpc-0123", publicSubnetIds: ["subnet-a", "subnet-b", "subnet-c"], securityGroupIds: { alb: "sg-alb" }, hostedZoneId: "Z0EXAMPLE" },
  data: {
    logsKeyArn: `arn:aws:kms:eu-west-1:${account}:key/logs`,
    buckets: { logs: { name: `upskill-${env}-logs` } },
  },
});

function build(name: string): { stack: EdgeStack; json: SynthJson } {
  const environment = shippedEnvironment(name);
  const stack = new EdgeStack(testApp(), { environment, ...fakes(name, environment.accountId) });
  return { stack, json: parseSynth(Testing.synth(stack)) };
}

/** The one resource of a type whose name starts with the construct path prefix. */
function one(json: SynthJson, type: string, prefix: string): Record<string, any> {
  const matches = Object.entries(resourcesOf(json, type)).filter(([n]) => n.startsWith(prefix));
  if (matches.length !== 1) throw new Error(`${matches.length} ${type} named ${prefix}*`);
  return matches[0][1];
}
const ref = (json: SynthJson, type: string, prefix: string, attr: string) => {
  const name = Object.keys(resourcesOf(json, type)).find((n) => n.startsWith(prefix));
  return `\${${type}.${name}.${attr}}`;
};

describe.each(SHIPPED_ENVIRONMENTS)("EdgeStack (%s)", (envName) => {
  const env = shippedEnvironment(envName);
  const { stack, json } = build(envName);
  const domain = env.domain.name;
  const prefix = env.names.prefix;

  test("is <env>-edge with the primary and us-east-1 providers", () => {
    expect(stack.node.id).toBe(`${envName}-edge`);
    expect((json.provider?.aws ?? []).map((p) => [p.alias, p.region])).toEqual([
      [undefined, env.region],
      ["us_east_1", "us-east-1"],
    ]);
  });

  test("writes no zone: the network layer's zone (created or existing) is where every record goes", () => {
    expect(resourcesOf(json, "aws_route53_zone")).toEqual({});
    expect(json.data?.aws_route53_zone).toBeUndefined();
    for (const [name, r] of Object.entries(resourcesOf(json, "aws_route53_record"))) expect([name, r.zone_id]).toEqual([name, "Z0EXAMPLE"]);
    expect(stack.hostedZoneId).toBe("Z0EXAMPLE");
  });

  test("upgrade: a zone this state held before is forgotten, not destroyed; the ALB certificate's records move to the shared ones, the CloudFront certificate's are forgotten", () => {
    const removed = (json as any).removed ?? [];
    const forgotten = removed.map((r: any) => [r.from, r.lifecycle]);
    const zone = ["aws_route53_zone.zone_6E295601", { destroy: false }];
    expect(forgotten).toEqual([...(env.domain.zone === "create" ? [zone] : []), ["aws_route53_record.cdn-certificate_validation-record_3A4FC5CF", { destroy: false }]]);
    const [shared] = Object.keys(resourcesOf(json, "aws_route53_record")).filter((n) => n.startsWith("validation-records_record"));
    expect((json as any).moved).toEqual([{ from: "aws_route53_record.alb-certificate_validation-record_8B090C27", to: `aws_route53_record.${shared}` }]);
  });

  test("a regional certificate for the ALB's names and a us-east-1 one for CloudFront's, validated within 45 minutes", () => {
    expect(one(json, "aws_acm_certificate", "alb-certificate")).toMatchObject({
      domain_name: `api.${domain}`,
      subject_alternative_names: [`api-origin.${domain}`, `origin.${domain}`],
      validation_method: "DNS",
    });
    const cdn = one(json, "aws_acm_certificate", "cdn-certificate");
    expect(cdn).toMatchObject({ domain_name: domain, subject_alternative_names: [`www.${domain}`, `api.${domain}`], provider: "aws.us_east_1" });
    expect(one(json, "aws_acm_certificate_validation", "cdn-certificate").provider).toBe("aws.us_east_1");
    expect(one(json, "aws_acm_certificate_validation", "alb-certificate").provider).toBeUndefined();
    for (const c of ["alb-certificate", "cdn-certificate"]) expect(one(json, "aws_acm_certificate_validation", c).timeouts).toEqual({ create: "45m" });
  });

  test("each validation name is written once, and both certificates' validations wait on that one record", () => {
    const recordSets = Object.entries(resourcesOf(json, "aws_route53_record")).filter(([, r]) => r.for_each);
    expect(recordSets.map(([n]) => n)).toEqual([expect.stringMatching(/^validation-records_record_/)]);
    const [[recordName, record]] = recordSets;
    const keys = JSON.parse(/^\$\{toset\((.*)\)\}$/.exec(record.for_each)![1]) as string[];
    const certNames = (c: Record<string, any>) => [c.domain_name, ...(c.subject_alternative_names ?? [])];
    const alb = certNames(one(json, "aws_acm_certificate", "alb-certificate"));
    const cdn = certNames(one(json, "aws_acm_certificate", "cdn-certificate"));
    expect([...keys].sort()).toEqual([...new Set([...alb, ...cdn])].sort());
    expect(new Set(keys).size).toBe(keys.length);
    for (const [cert, names] of [["alb-certificate", alb], ["cdn-certificate", cdn]] as const) {
      expect(one(json, "aws_acm_certificate_validation", cert).validation_record_fqdns).toBe(`\${[for name in ${JSON.stringify(names)} : aws_route53_record.${recordName}[name].fqdn]}`);
    }
    // The names both certificates cover (api and the apex) are among both lists, written by the one record.
    expect(alb.filter((n) => cdn.includes(n))).toEqual([`api.${domain}`]);
  });

  test("the ALB is in the network's public subnets with its SG, logs to the logs bucket and uses the validated certificate", () => {
    expect(one(json, "aws_lb", "alb")).toMatchObject({
      name: `${prefix}-alb`,
      internal: false,
      subnets: ["subnet-a", "subnet-b", "subnet-c"],
      security_groups: ["sg-alb"],
      idle_timeout: env.edge.albIdleTimeoutSeconds,
      access_logs: { bucket: `upskill-${envName}-logs`, prefix: "alb", enabled: true },
    });
    const https = Object.values(resourcesOf(json, "aws_lb_listener")).find((l) => l.port === 443)!;
    expect(https.certificate_arn).toBe(ref(json, "aws_acm_certificate_validation", "alb-certificate", "certificate_arn"));
    expect(https.ssl_policy).toBe("ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09");
    expect(one(json, "aws_wafv2_web_acl_association", "alb").web_acl_arn).toBe(ref(json, "aws_wafv2_web_acl", "waf-regional", "arn"));
  });

  test("one IP target group per service with a port, routed by host", () => {
    expect(Object.keys(stack.targetGroups)).toEqual(env.app.services.filter((s) => s.port !== undefined).map((s) => s.name));
    expect(one(json, "aws_lb_target_group", "target-api")).toMatchObject({ name: `${prefix}-api`, target_type: "ip", vpc_id: "vpc-0123", port: 8080, deregistration_delay: "30" });
    expect(one(json, "aws_lb_listener_rule", "target-api").condition).toEqual([{ host_header: { values: [`api.${domain}`, `api-origin.${domain}`] } }]);
    // web: only through CloudFront, under the site origin name with the origin secret header.
    const web = one(json, "aws_lb_listener_rule", "target-web").condition;
    expect(web).toEqual([
      { host_header: { values: [`origin.${domain}`] } },
      {
        http_header: {
          http_header_name: "X-Origin-Verify",
          values: [`\${sensitive(${ref(json, "terraform_data", "origin-secret_slot-0", "triggers_replace").slice(2, -1)}.value)}`, `\${sensitive(${ref(json, "terraform_data", "origin-secret_slot-1", "triggers_replace").slice(2, -1)}.value)}`],
        },
      },
    ]);
    expect(stack.targetGroups.api.arn).toMatch(/TfToken/);
  });

  test("WAF: REGIONAL with the SQL-injection set, CLOUDFRONT in us-east-1, both rate-limited from config", () => {
    const regional = one(json, "aws_wafv2_web_acl", "waf-regional");
    const cloudfront = one(json, "aws_wafv2_web_acl", "waf-cloudfront");
    expect(regional).toMatchObject({ name: `${prefix}-regional`, scope: "REGIONAL" });
    expect(cloudfront).toMatchObject({ name: `${prefix}-cloudfront`, scope: "CLOUDFRONT", provider: "aws.us_east_1" });
    expect(regional.rule.map((r: any) => r.name)).toContain("AWSManagedRulesSQLiRuleSet");
    expect(cloudfront.rule.map((r: any) => r.name)).not.toContain("AWSManagedRulesSQLiRuleSet");
    for (const acl of [regional, cloudfront]) expect(acl.rule[0].statement.rate_based_statement.limit).toBe(env.edge.wafRateLimit);
    // The site's requests reach the ALB from CloudFront's addresses: the regional rate limit leaves them to the CLOUDFRONT ACL.
    expect(regional.rule[0].statement.rate_based_statement.scope_down_statement.not_statement.statement.byte_match_statement.search_string).toBe(`origin.${domain}`);
    expect(cloudfront.rule[0].statement.rate_based_statement.scope_down_statement).toBeUndefined();
    expect(one(json, "aws_cloudwatch_log_group", "waf-regional")).toMatchObject({ name: `aws-waf-logs-${prefix}-regional`, kms_key_id: `arn:aws:kms:eu-west-1:${env.accountId}:key/logs`, retention_in_days: env.logRetentionDays });
    expect(one(json, "aws_cloudwatch_log_group", "waf-cloudfront")).toMatchObject({
      name: `aws-waf-logs-${prefix}-cloudfront`,
      provider: "aws.us_east_1",
      kms_key_id: ref(json, "aws_kms_key", "waf-logs-key", "arn"),
    });
    expect(one(json, "aws_kms_key", "waf-logs-key").provider).toBe("aws.us_east_1");
    expect(stack.wafAclNames).toEqual({ regional: `${prefix}-regional`, cloudfront: `${prefix}-cloudfront` });
  });

  test("the site and maintenance distributions serve their own buckets with config's price class and TLS floor", () => {
    const site = one(json, "aws_cloudfront_distribution", "site-cdn");
    const maintenance = one(json, "aws_cloudfront_distribution", "maintenance-cdn");
    expect(site.aliases).toEqual([domain, `www.${domain}`]);
    expect(maintenance.aliases).toEqual([`api.${domain}`]);
    expect(site.origin[0].domain_name).toBe(ref(json, "aws_s3_bucket", "assets-bucket", "bucket_regional_domain_name"));
    expect(maintenance.origin[0].domain_name).toBe(ref(json, "aws_s3_bucket", "maintenance-bucket", "bucket_regional_domain_name"));
    for (const d of [site, maintenance]) {
      expect(d.price_class).toBe(env.edge.cdnPriceClass);
      expect(d.viewer_certificate.minimum_protocol_version).toBe(env.edge.cdnMinimumProtocol);
      expect(d.viewer_certificate.acm_certificate_arn).toBe(ref(json, "aws_acm_certificate_validation", "cdn-certificate", "certificate_arn"));
      expect(d.web_acl_id).toBe(ref(json, "aws_wafv2_web_acl", "waf-cloudfront", "arn"));
      expect(d.logging_config.bucket).toBe(`upskill-${envName}-logs.s3.amazonaws.com`);
    }
    expect(maintenance.custom_error_response.map((r: any) => r.response_code)).toEqual([503, 503]);
  });

  test("web behind CloudFront: static paths from the bucket, everything else from the ALB under the site origin name, HTTPS only, uncached, with the secret header", () => {
    const site = one(json, "aws_cloudfront_distribution", "site-cdn");
    const [bucketOrigin, appOrigin] = site.origin;
    expect(bucketOrigin.origin_id).toBe("s3-origin");
    expect(appOrigin).toEqual({
      origin_id: "app-origin",
      domain_name: `origin.${domain}`,
      custom_origin_config: { http_port: 80, https_port: 443, origin_protocol_policy: "https-only", origin_ssl_protocols: ["TLSv1.2"], origin_read_timeout: 30, origin_keepalive_timeout: 5 },
      custom_header: [{ name: "X-Origin-Verify", value: `\${sensitive(${ref(json, "terraform_data", "origin-secret_slot-0", "triggers_replace").slice(2, -1)}.value)}` }],
    });
    expect(site.default_cache_behavior).toMatchObject({
      target_origin_id: "app-origin",
      allowed_methods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
      cache_policy_id: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad", // CachingDisabled
      origin_request_policy_id: "b689b0a8-53d0-40ab-baf2-68738e2966ac", // AllViewerExceptHostHeader
      viewer_protocol_policy: "redirect-to-https",
    });
    expect(site.ordered_cache_behavior.map((b: any) => [b.path_pattern, b.target_origin_id, b.cache_policy_id])).toEqual(
      env.edge.staticPaths.map((p) => [p, "s3-origin", "658327ea-f89d-4fab-a63d-7e88639e58f6"]),
    );
    // The app answers / and its own errors: no root object, no SPA error pages masking its 404s.
    expect(site.default_root_object).toBeUndefined();
    expect(site.custom_error_response).toEqual([]);
    expect(site.web_acl_id).toBe(ref(json, "aws_wafv2_web_acl", "waf-cloudfront", "arn"));
    // The ALB's certificate covers the origin name, which aliases the ALB.
    expect(one(json, "aws_acm_certificate", "alb-certificate").subject_alternative_names).toContain(`origin.${domain}`);
    const originRecord = Object.values(resourcesOf(json, "aws_route53_record")).find((r) => r.name === `origin.${domain}`)!;
    expect(originRecord).toMatchObject({ type: "A", alias: { name: ref(json, "aws_lb", "alb", "dns_name"), zone_id: ref(json, "aws_lb", "alb", "zone_id") } });
    // A rotation reaches the listener rule (both values accepted) before CloudFront sends the new value.
    expect(site.depends_on).toEqual([ref(json, "aws_lb_listener_rule", "target-web", "x").replace(/^\$\{(.*)\.x\}$/, "$1")]);
  });

  test("the origin secret is generated by Terraform and never in the JSON: two uuid-based slots kept by ignore_changes, rotated by config", () => {
    // Terraform core's own verdict (value only in state, stable plans, rotation): __tests__/modules/origin-secret.terraform.test.ts.
    const data = resourcesOf(json, "terraform_data");
    const slots = Object.entries(data).filter(([n]) => n.includes("_slot-"));
    expect(slots.map(([n]) => n).sort()).toEqual([expect.stringMatching(/^origin-secret_slot-0_/), expect.stringMatching(/^origin-secret_slot-1_/)]);
    for (const [, slot] of slots) {
      expect(slot.triggers_replace).toEqual({ value: '${sensitive(replace(join("", [uuid(), uuid()]), "-", ""))}' });
      expect(slot.lifecycle.ignore_changes).toEqual(["triggers_replace"]);
    }
    expect(Object.entries(data).filter(([n]) => n.includes("generation")).map(([, g]) => g.input.generation)).toEqual([env.edge.originSecretRotation, -1]);
    // Every use of the value is a sensitive() reference; no literal that could be a secret anywhere.
    // (AWS's managed CloudFront policy ids are uuids too: public constants, not secrets.)
    const managed = [CACHING_OPTIMIZED_POLICY_ID, CACHING_DISABLED_POLICY_ID, ALL_VIEWER_EXCEPT_HOST_HEADER_POLICY_ID, SECURITY_HEADERS_POLICY_ID];
    const text = managed.reduce((t, id) => t.split(id).join("<managed-policy>"), JSON.stringify(json));
    const uses = text.match(/X-Origin-Verify[^\]]*/g) ?? [];
    expect(uses.length).toBeGreaterThan(0);
    expect(text).not.toMatch(/\b[0-9a-f]{32,}\b/);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
    const values = [
      ...one(json, "aws_lb_listener_rule", "target-web").condition.flatMap((c: any) => c.http_header?.values ?? []),
      ...one(json, "aws_cloudfront_distribution", "site-cdn").origin.flatMap((o: any) => (o.custom_header ?? []).map((h: any) => h.value)),
    ];
    expect(values).toHaveLength(3);
    for (const v of values) expect(v).toMatch(/^\$\{sensitive\(terraform_data\.origin-secret_slot-[01]_\w+\.triggers_replace\.value\)\}$/);
  });

  test("each origin bucket is encrypted with the CDN key, logged, and readable only by its distribution", () => {
    const key = ref(json, "aws_kms_key", "cdn-origin-key", "arn");
    for (const [bucket, cdn] of [["assets-bucket", "site-cdn"], ["maintenance-bucket", "maintenance-cdn"]]) {
      expect(one(json, "aws_s3_bucket", bucket)).toMatchObject({ bucket: `${prefix}-${bucket.replace("-bucket", "")}-${env.accountId}`, lifecycle: { prevent_destroy: true } });
      const sse = one(json, "aws_s3_bucket_server_side_encryption_configuration", bucket);
      expect(sse.rule[0].apply_server_side_encryption_by_default.kms_master_key_id).toBe(key);
      expect(one(json, "aws_s3_bucket_logging", bucket)).toMatchObject({
        target_bucket: `upskill-${envName}-logs`,
        target_prefix: `s3/${prefix}-${bucket.replace("-bucket", "")}-${env.accountId}/`,
      });
      const policy = JSON.parse(one(json, "aws_s3_bucket_policy", bucket).policy);
      const allows = policy.Statement.filter((s: any) => s.Effect === "Allow");
      expect(allows).toEqual([
        expect.objectContaining({
          Principal: { Service: "cloudfront.amazonaws.com" },
          Action: "s3:GetObject",
          Condition: { StringEquals: { "AWS:SourceArn": ref(json, "aws_cloudfront_distribution", cdn, "arn") } },
        }),
      ]);
    }
    const keyPolicy = JSON.parse(one(json, "aws_kms_key", "cdn-origin-key").policy);
    expect(keyPolicy.Statement[1]).toMatchObject({
      Principal: { Service: "cloudfront.amazonaws.com" },
      Action: ["kms:Decrypt"],
      Condition: { StringEquals: { "AWS:SourceArn": [ref(json, "aws_cloudfront_distribution", "site-cdn", "arn"), ref(json, "aws_cloudfront_distribution", "maintenance-cdn", "arn")] } },
    });
  });

  test("DNS: apex and www on the site distribution; the API fails over from the ALB to the maintenance page", () => {
    const records = Object.values(resourcesOf(json, "aws_route53_record")).filter((r) => !r.for_each);
    const site = ref(json, "aws_cloudfront_distribution", "site-cdn", "domain_name");
    expect(records.filter((r) => r.alias?.name === site).map((r) => `${r.name} ${r.type}`).sort()).toEqual([`${domain} A`, `${domain} AAAA`, `www.${domain} A`, `www.${domain} AAAA`]);

    const check = one(json, "aws_route53_health_check", "api-failover");
    expect(check).toMatchObject({ type: "HTTPS", fqdn: `api-origin.${domain}`, resource_path: env.edge.healthCheckPath, port: 443, request_interval: 30, failure_threshold: 3, measure_latency: true, enable_sni: true });
    const primary = records.find((r) => r.failover_routing_policy?.type === "PRIMARY")!;
    const secondary = records.find((r) => r.failover_routing_policy?.type === "SECONDARY")!;
    expect(primary).toMatchObject({
      name: `api.${domain}`,
      health_check_id: ref(json, "aws_route53_health_check", "api-failover", "id"),
      alias: { name: ref(json, "aws_lb", "alb", "dns_name"), zone_id: ref(json, "aws_lb", "alb", "zone_id"), evaluate_target_health: false },
    });
    expect(secondary).toMatchObject({
      name: `api.${domain}`,
      alias: { name: ref(json, "aws_cloudfront_distribution", "maintenance-cdn", "domain_name"), zone_id: ref(json, "aws_cloudfront_distribution", "maintenance-cdn", "hosted_zone_id") },
    });
    const origin = records.find((r) => r.name === `api-origin.${domain}`)!;
    expect(origin).toMatchObject({ type: "A", alias: { name: ref(json, "aws_lb", "alb", "dns_name"), evaluate_target_health: false } });
    expect(origin.failover_routing_policy).toBeUndefined();
  });

  test("exposes the outputs later layers read, each from its resource", () => {
    const resolved = (value: unknown) => Tokenization.resolve(value, { scope: stack, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) });
    expect(resolved(stack.albArn)).toBe(ref(json, "aws_lb", "alb", "arn"));
    expect(resolved(stack.albArnSuffix)).toBe(ref(json, "aws_lb", "alb", "arn_suffix"));
    expect(resolved(stack.albDnsName)).toBe(ref(json, "aws_lb", "alb", "dns_name"));
    expect(resolved(stack.albZoneId)).toBe(ref(json, "aws_lb", "alb", "zone_id"));
    expect(resolved(stack.targetGroups.api)).toEqual({
      arn: ref(json, "aws_lb_target_group", "target-api", "arn"),
      arnSuffix: ref(json, "aws_lb_target_group", "target-api", "arn_suffix"),
    });
    expect(resolved(stack.hostedZoneId)).toBe("Z0EXAMPLE");
    expect(resolved(stack.siteDistributionId)).toBe(ref(json, "aws_cloudfront_distribution", "site-cdn", "id"));
    expect(resolved(stack.siteDistributionDomainName)).toBe(ref(json, "aws_cloudfront_distribution", "site-cdn", "domain_name"));
    expect(resolved(stack.maintenanceDistributionId)).toBe(ref(json, "aws_cloudfront_distribution", "maintenance-cdn", "id"));
    expect(resolved(stack.apiHealthCheckId)).toBe(ref(json, "aws_route53_health_check", "api-failover", "id"));
    expect(resolved(stack.assetsBucketName)).toBe(ref(json, "aws_s3_bucket", "assets-bucket", "bucket"));
  });
});
