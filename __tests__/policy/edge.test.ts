import { Testing } from "cdktf";
import { EdgeStack } from "../../stacks/edge-stack";
import { shippedEnvironment, SHIPPED_ENVIRONMENTS, testApp, type SynthJson } from "../support/fixtures";
import { appOfJson } from "../support/stand-in-app";
import { synthesizedApp, type SynthesizedApp, type SynthResource } from "../support/synthesized-app";

/**
 * Edge baselines: listeners are HTTPS (TLS 1.3 policy) or redirects; CloudFront
 * enforces HTTPS with a modern TLS floor, a us-east-1 certificate and a web ACL;
 * CLOUDFRONT ACLs are in us-east-1; failover pairs are complete; origin buckets
 * are readable only by their distribution.
 *
 * The checks run over the whole app (`npm run synth`) and, until the integrator
 * wires the edge layer into stacks/environment.ts, also over every shipped
 * environment's EdgeStack built with stand-ins for the network and data layers,
 * so that they always see edge resources.
 */

const CLOUDFRONT_TLS_FLOORS = ["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"];

/** Region of the provider a resource uses (`provider: "aws.<alias>"`, or the default provider). */
function regionOf(app: SynthesizedApp, r: SynthResource): string | undefined {
  const providers = app.stacks.get(r.stack)?.provider?.aws ?? [];
  const alias = typeof r.config.provider === "string" ? r.config.provider.replace(/^aws\./, "") : undefined;
  return providers.find((p) => p.alias === alias)?.region;
}

/** The resource a `${type.name.attr}` reference in the same stack points at. */
function referenced(app: SynthesizedApp, stack: string, value: unknown): SynthResource | undefined {
  const m = typeof value === "string" ? /^\$\{([a-z0-9_]+)\.([^.}]+)\.[a-z_]+\}$/.exec(value) : null;
  return m ? app.resources.find((r) => r.stack === stack && r.type === m[1] && r.name === m[2]) : undefined;
}

const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function listenerOffenders(app: SynthesizedApp): string[] {
  return app.ofType("aws_lb_listener").flatMap((l) => {
    const c = l.config;
    const https = c.protocol === "HTTPS" && typeof c.ssl_policy === "string" && c.ssl_policy.startsWith("ELBSecurityPolicy-TLS13-") && !!c.certificate_arn;
    const redirect = asList<any>(c.default_action).length > 0 && asList<any>(c.default_action).every((a) => a.type === "redirect" && a.redirect?.protocol === "HTTPS");
    return https || redirect ? [] : [`${l.address}: protocol ${c.protocol}, ssl_policy ${c.ssl_policy ?? "(none)"}`];
  });
}

function distributionOffenders(app: SynthesizedApp): string[] {
  return app.ofType("aws_cloudfront_distribution").flatMap((d) => {
    const c = d.config;
    const behaviours = [c.default_cache_behavior, ...asList<any>(c.ordered_cache_behavior)];
    const problems = [
      ...behaviours.filter((b) => !["redirect-to-https", "https-only"].includes(b?.viewer_protocol_policy)).map((b) => `viewer_protocol_policy ${b?.viewer_protocol_policy}`),
      ...(CLOUDFRONT_TLS_FLOORS.includes(c.viewer_certificate?.minimum_protocol_version) ? [] : [`minimum_protocol_version ${c.viewer_certificate?.minimum_protocol_version}`]),
      ...(c.viewer_certificate?.cloudfront_default_certificate ? ["uses the default *.cloudfront.net certificate"] : []),
      ...(c.web_acl_id ? [] : ["no web_acl_id"]),
    ];
    return problems.map((p) => `${d.address}: ${p}`);
  });
}

function cloudfrontCertificateOffenders(app: SynthesizedApp): string[] {
  return app.ofType("aws_cloudfront_distribution").flatMap((d) => {
    const arn = d.config.viewer_certificate?.acm_certificate_arn;
    if (typeof arn === "string" && arn.startsWith("arn:")) return arn.split(":")[3] === "us-east-1" ? [] : [`${d.address}: certificate ${arn} is not in us-east-1`];
    const cert = referenced(app, d.stack, arn);
    if (!cert) return [`${d.address}: certificate ${arn} is neither an ARN nor a certificate of its stack`];
    const region = regionOf(app, cert);
    return region === "us-east-1" ? [] : [`${d.address}: uses ${cert.address}, which is in ${region}`];
  });
}

function cloudfrontAclOffenders(app: SynthesizedApp): string[] {
  return app
    .ofType("aws_wafv2_web_acl")
    .filter((a) => a.config.scope === "CLOUDFRONT")
    .flatMap((a) => (regionOf(app, a) === "us-east-1" ? [] : [`${a.address}: CLOUDFRONT-scope ACL in ${regionOf(app, a)}`]));
}

function failoverOffenders(app: SynthesizedApp): string[] {
  const sets = new Map<string, SynthResource[]>();
  for (const r of app.ofType("aws_route53_record").filter((r) => r.config.failover_routing_policy)) {
    const key = `${r.stack}/${r.config.zone_id} ${r.config.name} ${r.config.type}`;
    sets.set(key, [...(sets.get(key) ?? []), r]);
  }
  return [...sets].flatMap(([key, records]) => {
    const of = (type: string) => records.filter((r) => asList<any>(r.config.failover_routing_policy)[0]?.type === type);
    const primaries = of("PRIMARY");
    const problems = [
      ...(primaries.length === 1 ? [] : [`${primaries.length} primary records`]),
      ...primaries.filter((p) => !p.config.health_check_id).map((p) => `${p.address} has no health check`),
      ...(of("SECONDARY").length === 1 ? [] : [`${of("SECONDARY").length} secondary records`]),
    ];
    return problems.map((p) => `${key}: ${p} (${records.map((r) => r.address).join(", ")})`);
  });
}

function originBucketOffenders(app: SynthesizedApp): string[] {
  return app.ofType("aws_cloudfront_distribution").flatMap((d) =>
    asList<any>(d.config.origin).flatMap((o) => {
      const bucket = referenced(app, d.stack, o.domain_name);
      if (!bucket || bucket.type !== "aws_s3_bucket") return [];
      if (!o.origin_access_control_id) return [`${d.address}: reads ${bucket.address} without origin access control`];
      const policies = app.ofType("aws_s3_bucket_policy").filter((p) => p.stack === d.stack && referenced(app, p.stack, p.config.bucket)?.name === bucket.name);
      if (policies.length !== 1) return [`${bucket.address}: ${policies.length} bucket policies (want exactly one)`];
      const statements: any[] = JSON.parse(policies[0].config.policy).Statement;
      const distributionArn = `\${aws_cloudfront_distribution.${d.name}.arn}`;
      const tlsOnly = statements.some((s) => s.Effect === "Deny" && s.Condition?.Bool?.["aws:SecureTransport"] === "false");
      const allows = statements.filter((s) => s.Effect === "Allow");
      const onlyItsDistribution =
        allows.length > 0 &&
        allows.every(
          (s) =>
            JSON.stringify(s.Principal) === JSON.stringify({ Service: "cloudfront.amazonaws.com" }) &&
            asList(s.Action).every((a) => a === "s3:GetObject") &&
            s.Condition?.StringEquals?.["AWS:SourceArn"] === distributionArn,
        );
      return [
        ...(tlsOnly ? [] : [`${policies[0].address}: no deny of non-TLS requests`]),
        ...(onlyItsDistribution ? [] : [`${policies[0].address}: allows more than s3:GetObject by ${d.address}`]),
      ];
    }),
  );
}

/** Every shipped environment's edge stack, with stand-ins for the layers it reads. */
function edgeFixtureApp(): SynthesizedApp {
  const stacks = new Map<string, SynthJson>();
  for (const name of SHIPPED_ENVIRONMENTS) {
    const environment = shippedEnvironment(name);
    const stack = new EdgeStack(testApp(), {
      environment,
      network: { vpcId: "vpc-0", publicSubnetIds: ["subnet-a", "subnet-b"], securityGroupIds: { alb: "sg-alb" }, hostedZoneId: "Z0EXAMPLE" },
      data: { logsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/logs", buckets: { logs: { name: "logs" } } },
    });
    stacks.set(stack.node.id, JSON.parse(Testing.synth(stack)));
  }
  return appOfJson(stacks);
}

const apps: [string, () => SynthesizedApp][] = [
  ["the whole app", synthesizedApp],
  ["the edge stacks", edgeFixtureApp],
];

describe.each(apps)("policy: edge (%s)", (_label, load) => {
  const app = load();

  test("every load balancer listener is HTTPS with a TLS 1.3 policy, or a redirect to HTTPS", () => {
    expect(listenerOffenders(app)).toEqual([]);
  });

  test("every CloudFront distribution enforces HTTPS with TLSv1.2_2021 or newer and has a web ACL", () => {
    expect(distributionOffenders(app)).toEqual([]);
  });

  test("every certificate CloudFront uses is in us-east-1", () => {
    expect(cloudfrontCertificateOffenders(app)).toEqual([]);
  });

  test("every CLOUDFRONT-scope web ACL uses a us-east-1 provider", () => {
    expect(cloudfrontAclOffenders(app)).toEqual([]);
  });

  test("every failover record set has one primary with a health check and one secondary", () => {
    expect(failoverOffenders(app)).toEqual([]);
  });

  test("every CloudFront origin bucket is TLS-only and readable only by its distribution", () => {
    expect(originBucketOffenders(app)).toEqual([]);
  });
});

describe("policy: edge checks see what they check", () => {
  const app = edgeFixtureApp();

  test("the stand-in app holds each environment's listeners, distributions, ACLs, failover records and origin buckets", () => {
    expect(app.ofType("aws_lb_listener")).toHaveLength(2 * SHIPPED_ENVIRONMENTS.length);
    expect(app.ofType("aws_cloudfront_distribution")).toHaveLength(2 * SHIPPED_ENVIRONMENTS.length);
    expect(app.ofType("aws_wafv2_web_acl").filter((a) => a.config.scope === "CLOUDFRONT")).toHaveLength(SHIPPED_ENVIRONMENTS.length);
    expect(app.ofType("aws_route53_record").filter((r) => r.config.failover_routing_policy)).toHaveLength(2 * SHIPPED_ENVIRONMENTS.length);
  });

  test("each check names the offending resource", () => {
    const broken = edgeFixtureApp();
    const listener = broken.ofType("aws_lb_listener").find((l) => l.config.protocol === "HTTPS")!;
    listener.config.ssl_policy = "ELBSecurityPolicy-2016-08";
    const distribution = broken.ofType("aws_cloudfront_distribution")[0];
    distribution.config.viewer_certificate.minimum_protocol_version = "TLSv1";
    delete distribution.config.web_acl_id;
    const acl = broken.ofType("aws_wafv2_web_acl").find((a) => a.config.scope === "CLOUDFRONT")!;
    delete acl.config.provider;
    const secondary = broken.ofType("aws_route53_record").find((r) => r.config.failover_routing_policy?.type === "SECONDARY")!;
    secondary.config.failover_routing_policy = { type: "PRIMARY" };
    const cert = broken.resources.find((r) => r.stack === distribution.stack && r.type === "aws_acm_certificate_validation" && r.config.provider)!;
    delete cert.config.provider;
    const policy = broken.ofType("aws_s3_bucket_policy")[0];
    const doc = JSON.parse(policy.config.policy);
    doc.Statement.push({ Sid: "Extra", Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:root" }, Action: "s3:GetObject", Resource: "*" });
    policy.config.policy = JSON.stringify(doc);

    expect(listenerOffenders(broken)).toEqual([`${listener.address}: protocol HTTPS, ssl_policy ELBSecurityPolicy-2016-08`]);
    expect(distributionOffenders(broken)).toEqual([`${distribution.address}: minimum_protocol_version TLSv1`, `${distribution.address}: no web_acl_id`]);
    expect(cloudfrontAclOffenders(broken)).toEqual([`${acl.address}: CLOUDFRONT-scope ACL in eu-west-1`]);
    expect(failoverOffenders(broken)).toEqual([
      expect.stringContaining(": 2 primary records"),
      expect.stringContaining(`: ${secondary.address} has no health check`),
      expect.stringContaining(": 0 secondary records"),
    ]);
    expect(cloudfrontCertificateOffenders(broken)).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^${distribution.address.replace(/[.$]/g, "\\$&")}: uses .*aws_acm_certificate_validation.* which is in eu-west-1$`))]),
    );
    expect(originBucketOffenders(broken)).toEqual([expect.stringMatching(new RegExp(`^${policy.address.replace(/[.$]/g, "\\$&")}: allows more than s3:GetObject by `))]);
  });
});
