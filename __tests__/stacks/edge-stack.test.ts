import { DefaultTokenResolver, StringConcat, Testing, Tokenization } from "cdktf";
import { EdgeStack, type EdgeStackProps } from "../../stacks/edge-stack";
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

  test("the hosted zone is created or looked up as configured", () => {
    if (env.edge.createHostedZone) {
      expect(one(json, "aws_route53_zone", "zone")).toMatchObject({ name: domain, lifecycle: { prevent_destroy: true } });
      expect(json.output?.["name-servers"]).toBeDefined();
    } else {
      expect(resourcesOf(json, "aws_route53_zone")).toEqual({});
      expect(Object.values(json.data?.aws_route53_zone ?? {})).toEqual([{ name: domain, private_zone: false }]);
    }
  });

  test("a regional certificate for the ALB's names and a us-east-1 one for CloudFront's", () => {
    expect(one(json, "aws_acm_certificate", "alb-certificate")).toMatchObject({
      domain_name: `api.${domain}`,
      subject_alternative_names: [`api-origin.${domain}`, domain, `www.${domain}`],
      validation_method: "DNS",
    });
    const cdn = one(json, "aws_acm_certificate", "cdn-certificate");
    expect(cdn).toMatchObject({ domain_name: domain, subject_alternative_names: [`www.${domain}`, `api.${domain}`], provider: "aws.us_east_1" });
    expect(one(json, "aws_acm_certificate_validation", "cdn-certificate").provider).toBe("aws.us_east_1");
    expect(one(json, "aws_acm_certificate_validation", "alb-certificate").provider).toBeUndefined();
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
    expect(one(json, "aws_lb_listener_rule", "target-web").condition).toEqual([{ host_header: { values: [domain, `www.${domain}`] } }]);
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
    const zoneType = env.edge.createHostedZone ? "aws_route53_zone" : "data.aws_route53_zone";
    expect(resolved(stack.hostedZoneId)).toMatch(new RegExp(`^\\$\\{${zoneType.replace(".", "\\.")}\\.zone_\\w+\\.zone_id\\}$`));
    expect(resolved(stack.siteDistributionId)).toBe(ref(json, "aws_cloudfront_distribution", "site-cdn", "id"));
    expect(resolved(stack.siteDistributionDomainName)).toBe(ref(json, "aws_cloudfront_distribution", "site-cdn", "domain_name"));
    expect(resolved(stack.maintenanceDistributionId)).toBe(ref(json, "aws_cloudfront_distribution", "maintenance-cdn", "id"));
    expect(resolved(stack.apiHealthCheckId)).toBe(ref(json, "aws_route53_health_check", "api-failover", "id"));
    expect(resolved(stack.assetsBucketName)).toBe(ref(json, "aws_s3_bucket", "assets-bucket", "bucket"));
  });
});
