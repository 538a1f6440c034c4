import { Testing } from "cdktf";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { ApplicationLoadBalancer, DEFAULT_TLS_POLICY, type ApplicationLoadBalancerProps } from "../../modules/alb/load-balancer";
import { ServiceTarget, type ServiceTargetProps } from "../../modules/alb/service-target";
import { serviceRoutes } from "../../modules/alb/service-routes";
import { parseSynth, resourcesOf } from "../support/fixtures";

const albProps: ApplicationLoadBalancerProps = {
  name: "upskill-dev-alb",
  subnetIds: ["subnet-a", "subnet-b"],
  securityGroupIds: ["sg-alb"],
  certificateArn: "arn:aws:acm:eu-west-1:111111111111:certificate/abc",
  accessLogs: { bucket: "upskill-dev-logs", prefix: "alb" },
};
const synthAlb = (props: Partial<ApplicationLoadBalancerProps> = {}) => Testing.synthScope((s) => void new ApplicationLoadBalancer(s, "alb", { ...albProps, ...props }));
const listeners = (json: ReturnType<typeof parseSynth>) => Object.values(resourcesOf(json, "aws_lb_listener"));

describe("ApplicationLoadBalancer", () => {
  test("is internet-facing in the given subnets with HTTP/2, header hygiene, deletion protection and access logs", () => {
    expect(synthAlb()).toHaveResourceWithProperties(Lb, {
      name: "upskill-dev-alb",
      load_balancer_type: "application",
      internal: false,
      subnets: ["subnet-a", "subnet-b"],
      security_groups: ["sg-alb"],
      enable_http2: true,
      drop_invalid_header_fields: true,
      desync_mitigation_mode: "strictest",
      enable_deletion_protection: true,
      idle_timeout: 60,
      access_logs: { enabled: true, bucket: "upskill-dev-logs", prefix: "alb" },
    });
  });

  test("the HTTPS listener uses the TLS 1.3 post-quantum policy and the certificate, and answers 404 by default", () => {
    const https = listeners(parseSynth(synthAlb())).find((l) => l.port === 443)!;
    expect(DEFAULT_TLS_POLICY).toBe("ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09");
    expect(https).toMatchObject({
      protocol: "HTTPS",
      ssl_policy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
      certificate_arn: albProps.certificateArn,
      default_action: [{ type: "fixed-response", fixed_response: { status_code: "404", content_type: "text/plain" } }],
    });
  });

  test("the HTTP listener only redirects to HTTPS with a 301", () => {
    const all = listeners(parseSynth(synthAlb()));
    expect(all).toHaveLength(2);
    const http = all.find((l) => l.port === 80)!;
    expect(http.protocol).toBe("HTTP");
    expect(http.default_action).toEqual([{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }]);
  });

  test("associates the web ACL when given, and takes idle timeout, TLS policy and deletion protection as options", () => {
    const json = parseSynth(synthAlb({ webAclArn: "arn:acl", idleTimeoutSeconds: 120, sslPolicy: "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09", deletionProtection: false }));
    const [assoc] = Object.values(resourcesOf(json, "aws_wafv2_web_acl_association"));
    expect(assoc.web_acl_arn).toBe("arn:acl");
    expect(assoc.resource_arn).toMatch(/^\$\{aws_lb\.alb_\w+\.arn\}$/);
    const [lb] = Object.values(resourcesOf(json, "aws_lb"));
    expect(lb).toMatchObject({ idle_timeout: 120, enable_deletion_protection: false });
    expect(listeners(json).find((l) => l.port === 443)!.ssl_policy).toBe("ELBSecurityPolicy-TLS13-1-3-PQ-2025-09");
    expect(resourcesOf(parseSynth(synthAlb()), "aws_wafv2_web_acl_association")).toEqual({});
  });

  test("refuses a long name, one subnet, a pre-TLS 1.3 policy and a reserved log prefix", () => {
    expect(() => synthAlb({ name: "a-load-balancer-name-longer-than-32" })).toThrow(/name must be 1-32 letters/);
    expect(() => synthAlb({ subnetIds: ["subnet-a"] })).toThrow(/at least two AZs/);
    expect(() => synthAlb({ sslPolicy: "ELBSecurityPolicy-2016-08" })).toThrow(/must be a TLS 1.3 policy/);
    expect(() => synthAlb({ accessLogs: { bucket: "b", prefix: "x/AWSLogs" } })).toThrow(/must not contain "AWSLogs"/);
    expect(() => synthAlb({ idleTimeoutSeconds: 0 })).toThrow(/idleTimeoutSeconds must be 1-4000/);
  });
});

const targetProps: ServiceTargetProps = {
  name: "upskill-dev-api",
  vpcId: "vpc-1",
  port: 8080,
  healthCheckPath: "/healthz",
  listenerArn: "arn:listener",
  priority: 10,
  hosts: ["api.example.com"],
};
const synthTarget = (props: Partial<ServiceTargetProps> = {}) => Testing.synthScope((s) => void new ServiceTarget(s, "api", { ...targetProps, ...props }));

describe("ServiceTarget", () => {
  test("an IP target group over HTTP with a 200-399 health check and a 30 s deregistration delay", () => {
    expect(synthTarget()).toHaveResourceWithProperties(LbTargetGroup, {
      name: "upskill-dev-api",
      target_type: "ip",
      protocol: "HTTP",
      port: 8080,
      vpc_id: "vpc-1",
      deregistration_delay: "30",
      health_check: expect.objectContaining({ enabled: true, protocol: "HTTP", path: "/healthz", matcher: "200-399", port: "traffic-port" }),
    });
  });

  test("a listener rule forwards its hosts and paths to the target group", () => {
    const json = parseSynth(synthTarget({ paths: ["/v1/*"], priority: 20, deregistrationDelaySeconds: 5 }));
    const tgName = Object.keys(resourcesOf(json, "aws_lb_target_group"))[0];
    expect(Object.values(resourcesOf(json, "aws_lb_target_group"))[0].deregistration_delay).toBe("5");
    expect(Object.values(resourcesOf(json, "aws_lb_listener_rule"))).toEqual([
      {
        listener_arn: "arn:listener",
        priority: 20,
        action: [{ type: "forward", target_group_arn: `\${aws_lb_target_group.${tgName}.arn}` }],
        condition: [{ host_header: { values: ["api.example.com"] } }, { path_pattern: { values: ["/v1/*"] } }],
      },
    ]);
  });

  test("a required header (the origin secret) is a further condition, its values counted in the rule's 5", () => {
    const json = parseSynth(synthTarget({ hosts: ["origin.example.com"], requiredHeader: { name: "X-Origin-Verify", values: ["${sensitive(a)}", "${sensitive(b)}"] } }));
    expect(Object.values(resourcesOf(json, "aws_lb_listener_rule"))[0].condition).toEqual([
      { host_header: { values: ["origin.example.com"] } },
      { http_header: { http_header_name: "X-Origin-Verify", values: ["${sensitive(a)}", "${sensitive(b)}"] } },
    ]);
    expect(() => synthTarget({ hosts: ["a.x.com", "b.x.com"], paths: ["/a", "/b"], requiredHeader: { name: "X-Origin-Verify", values: ["a", "b"] } })).toThrow(
      /at most 5 hosts, paths and header values together, got 6/,
    );
    expect(() => synthTarget({ requiredHeader: { name: "X Origin", values: ["a"] } })).toThrow(/requiredHeader.name must be an HTTP header name/);
    expect(() => synthTarget({ hosts: [], requiredHeader: { name: "X-Origin-Verify", values: ["a"] } })).toThrow(/requiredHeader needs hosts or paths/);
  });

  test("no hosts and no paths: a target group without a rule", () => {
    const json = parseSynth(synthTarget({ hosts: [] }));
    expect(resourcesOf(json, "aws_lb_listener_rule")).toEqual({});
    expect(Object.keys(resourcesOf(json, "aws_lb_target_group"))).toHaveLength(1);
  });

  test("refuses more values than a listener rule takes and bad settings", () => {
    expect(() => synthTarget({ hosts: ["a.x.com", "b.x.com", "c.x.com", "d.x.com"] })).toThrow(/at most 3 hosts/);
    expect(() => synthTarget({ hosts: ["a.x.com", "b.x.com", "c.x.com"], paths: ["/a", "/b", "/c"] })).toThrow(/at most 5 hosts and paths together/);
    expect(() => synthTarget({ paths: ["v1"] })).toThrow(/path pattern "v1" must start with "\/"/);
    expect(() => synthTarget({ healthCheckPath: "healthz" })).toThrow(/healthCheckPath must start with "\/"/);
    expect(() => synthTarget({ name: "x".repeat(33) })).toThrow(/name must be 1-32/);
    expect(() => synthTarget({ priority: 0 })).toThrow(/priority must be 1-50000/);
  });
});

describe("serviceRoutes", () => {
  const options = { domain: "example.com", apiSubdomain: "api", apiOriginSubdomain: "api-origin", siteOriginSubdomain: "origin" };

  test("defaults: api gets the API and origin names, web the apex and www through CloudFront (the site origin name on the ALB); services without a port get nothing", () => {
    const routes = serviceRoutes(
      [
        { name: "api", port: 8080, healthCheckPath: "/healthz" },
        { name: "web", port: 3000, healthCheckPath: "/" },
        { name: "worker", healthCheckPath: "/healthz" },
      ],
      options,
    );
    expect(routes).toEqual([
      {
        service: "api",
        port: 8080,
        healthCheckPath: "/healthz",
        hosts: ["api.example.com", "api-origin.example.com"],
        viewerHosts: ["api.example.com"],
        viaCloudFront: false,
        paths: [],
        priority: 10,
      },
      {
        service: "web",
        port: 3000,
        healthCheckPath: "/",
        hosts: ["origin.example.com"],
        viewerHosts: ["example.com", "www.example.com"],
        viaCloudFront: true,
        paths: [],
        priority: 20,
      },
    ]);
  });

  test("explicit routes expand host prefixes ('@' is the apex) and keep the origin name with the API name", () => {
    const [admin, gateway] = serviceRoutes(
      [
        { name: "admin", port: 8080, healthCheckPath: "/", routes: { hosts: ["admin", "@"], paths: ["/admin/*"] } },
        { name: "gateway", port: 8080, healthCheckPath: "/", routes: { hosts: ["api"], paths: [] } },
      ],
      options,
    );
    expect(admin.viewerHosts).toEqual(["admin.example.com", "example.com"]);
    expect(admin).toMatchObject({ viaCloudFront: true, hosts: ["origin.example.com", "admin.example.com"] });
    expect(admin.paths).toEqual(["/admin/*"]);
    expect(gateway.hosts).toEqual(["api.example.com", "api-origin.example.com"]);
    expect(gateway.viaCloudFront).toBe(false);
  });
});
