import { problemsAfter } from "../support/config-files";
import { shippedEnvironment } from "../support/fixtures";

describe("config: edge layer", () => {
  test("the shipped files are valid", () => {
    for (const env of ["dev", "staging", "prod"]) expect(problemsAfter(env, [])).toEqual([]);
  });

  // Bad input named by the issue.
  test("a domain that is not a domain", () => {
    expect(problemsAfter("dev", [["domain.name", "not a domain"]])).toEqual([
      'config/dev.yaml: domain.name: "not a domain" — must be a lower-case DNS name such as app.example.com',
    ]);
  });

  test("an API health path that does not start with '/'", () => {
    expect(problemsAfter("prod", [["edge.healthCheckPath", "healthz"]])).toEqual([
      "config/prod.yaml: edge.healthCheckPath: \"healthz\" — must be a URL path starting with '/'",
    ]);
  });

  test("a rate limit below AWS WAF's minimum", () => {
    expect(problemsAfter("dev", [["edge.wafRateLimit", 5]])).toEqual([
      "config/dev.yaml: edge.wafRateLimit: 5 — must be at least 10, AWS WAF's minimum for a rate-based rule",
    ]);
  });

  test("a price class CloudFront does not have", () => {
    expect(problemsAfter("staging", [["edge.cdnPriceClass", "PriceClass_300"]])).toEqual([
      'config/staging.yaml: edge.cdnPriceClass: "PriceClass_300" — must be a CloudFront price class: PriceClass_All, PriceClass_200 or PriceClass_100',
    ]);
  });

  // Issue 12: a zone that is neither created nor existing.
  const ZONE_RULE = 'must be "create" (the network layer creates the zone, which is then delegated) or "existing" (a delegated zone of that name in this account); there is no default';
  test("domain.zone: refused when missing or neither create nor existing, naming file, field and rule", () => {
    expect(problemsAfter("dev", [["domain.zone", undefined]])).toEqual([`config/dev.yaml: domain.zone: (missing) — ${ZONE_RULE}`]);
    expect(problemsAfter("staging", [["domain.zone", "maybe"]])).toEqual([`config/staging.yaml: domain.zone: "maybe" — ${ZONE_RULE}`]);
    expect(problemsAfter("prod", [["domain.zone", true]])).toEqual([`config/prod.yaml: domain.zone: true — ${ZONE_RULE}`]);
  });

  test("the shipped files: dev creates its zone (parent in another account), staging and prod use existing ones", () => {
    expect(shippedEnvironment("dev").domain).toMatchObject({ zone: "create" });
    expect(shippedEnvironment("dev").domain.parentZone).toBeUndefined();
    expect(shippedEnvironment("staging").domain.zone).toBe("existing");
    expect(shippedEnvironment("prod").domain.zone).toBe("existing");
  });

  test("edge.createHostedZone, the old switch, is refused with where it went", () => {
    expect(problemsAfter("dev", [["edge.createHostedZone", true]])).toEqual([
      "config/dev.yaml: edge.createHostedZone: true — was replaced by domain.zone: create | existing (see docs/dns-and-edge.md)",
    ]);
  });

  test("parentZoneOnlyWhenCreated and parentZoneIsAncestor: a delegation only for a created zone, in a zone above it", () => {
    expect(problemsAfter("dev", [["domain.parentZone", "upskill.example.com"]])).toEqual([]);
    expect(problemsAfter("staging", [["domain.parentZone", "upskill.example.com"]])).toEqual([
      'config/staging.yaml: domain.parentZone: "upskill.example.com" — is only for domain.zone: create (the network layer writes the NS delegation of the zone it creates); remove it for an existing zone',
    ]);
    expect(problemsAfter("dev", [["domain.parentZone", "other.example.com"]])).toEqual([
      'config/dev.yaml: domain.parentZone: "other.example.com" — must be a zone above dev.upskill.example.com (such as upskill.example.com), where its NS delegation goes',
    ]);
  });

  // Issue 13: web behind CloudFront.
  test("siteRoutedOnce: one service serves the apex and www through CloudFront, and no host besides", () => {
    expect(problemsAfter("dev", [["app.services[1].routes", { hosts: ["@", "www", "app"], paths: [] }]])).toEqual([
      expect.stringMatching(
        /^config\/dev\.yaml: app\.services\[1\]\.routes\.hosts: .* — routes dev\.upskill\.example\.com and www\.dev\.upskill\.example\.com \(CloudFront, origin secret required\) with other hosts \(app\.dev\.upskill\.example\.com\) reached on the load balancer directly; give those another service$/,
      ),
    ]);
    expect(problemsAfter("dev", [["app.services[0].routes", { hosts: ["api", "www"], paths: [] }]])).toContain(
      'config/dev.yaml: app.services: ["api","web"] — dev.upskill.example.com and www.dev.upskill.example.com are served through CloudFront by one service; route them to one',
    );
  });

  test("siteOriginDistinct: the site origin name is the load balancer's alone", () => {
    expect(problemsAfter("dev", [["edge.siteOriginSubdomain", "www"]])).toEqual([
      'config/dev.yaml: edge.siteOriginSubdomain: "www" — must differ from the API\'s names, www and every route\'s hosts: CloudFront reaches the site on the load balancer by this name alone',
    ]);
    expect(problemsAfter("dev", [["edge.siteOriginSubdomain", "admin"], ["app.services[2].port", 8080], ["app.services[2].routes", { hosts: ["admin"], paths: [] }]])).toEqual([
      'config/dev.yaml: edge.siteOriginSubdomain: "admin" — must differ from the API\'s names, www and every route\'s hosts: CloudFront reaches the site on the load balancer by this name alone',
    ]);
  });

  test("routesFitListenerRule: the site's rule holds the origin name and two secret values, so at most two paths", () => {
    expect(problemsAfter("dev", [["app.services[1].routes", { hosts: ["@", "www"], paths: ["/a", "/b"] }]])).toEqual([]);
    expect(problemsAfter("dev", [["app.services[1].routes", { hosts: ["@", "www"], paths: ["/a", "/b", "/c"] }]])).toEqual([
      'config/dev.yaml: app.services[1].routes: {"hosts":["origin.dev.upskill.example.com"],"paths":["/a","/b","/c"]} — a load balancer rule matches at most 5 values: the site\'s rule holds the origin name and the 2 origin secret values, so at most 2 paths',
    ]);
  });

  test("edge.staticPaths and edge.originSecretRotation are checked", () => {
    expect(problemsAfter("dev", [["edge.staticPaths", []]])).toEqual(["config/dev.yaml: edge.staticPaths: [] — must list at least one path pattern served from the assets bucket"]);
    expect(problemsAfter("dev", [["edge.staticPaths", ["assets/*"]]])).toEqual([
      "config/dev.yaml: edge.staticPaths[0]: \"assets/*\" — must be a CloudFront path pattern starting with '/', such as /assets/*",
    ]);
    expect(problemsAfter("dev", [["edge.originSecretRotation", -1]])).toEqual([
      "config/dev.yaml: edge.originSecretRotation: -1 — must be a whole number from 0; raise it by one to rotate the origin secret",
    ]);
  });

  // Further settings of the schema.
  test("a CloudFront TLS policy older than TLSv1.2_2021", () => {
    expect(problemsAfter("dev", [["edge.cdnMinimumProtocol", "TLSv1_2016"]])).toEqual([
      'config/dev.yaml: edge.cdnMinimumProtocol: "TLSv1_2016" — must be a CloudFront security policy: TLSv1.2_2021, TLSv1.2_2025 or TLSv1.3_2025',
    ]);
  });

  test("an API subdomain that is not one DNS label", () => {
    expect(problemsAfter("dev", [["edge.apiSubdomain", "api.v1"]])).toEqual(['config/dev.yaml: edge.apiSubdomain: "api.v1" — must be one DNS label such as api']);
  });

  test("a deregistration delay beyond ELB's 3600 seconds", () => {
    expect(problemsAfter("dev", [["edge.targetDeregistrationDelaySeconds", 4000]])).toEqual([
      "config/dev.yaml: edge.targetDeregistrationDelaySeconds: 4000 — must be 0-3600 seconds",
    ]);
  });

  // Semantic rules (config/rules/edge.ts).
  test("apiNamesDistinct: the API is not www, and its origin label differs and fits a label", () => {
    expect(problemsAfter("dev", [["edge.apiSubdomain", "www"]])).toContain('config/dev.yaml: edge.apiSubdomain: "www" — must not be www, the site\'s name on CloudFront');
    expect(problemsAfter("dev", [["edge.apiOriginSubdomain", "api"]])).toEqual([
      'config/dev.yaml: edge.apiOriginSubdomain: "api" — must differ from edge.apiSubdomain and www: the health check needs a name that always points at the load balancer',
    ]);
    const label = "a".repeat(60);
    expect(problemsAfter("dev", [["edge.apiSubdomain", label]])).toEqual([
      `config/dev.yaml: edge.apiSubdomain: "${label}" — gives the API origin label ${label}-origin, longer than a DNS label's 63 characters; set edge.apiOriginSubdomain`,
    ]);
  });

  test("routeHostsValid: route hosts are subdomains or @", () => {
    expect(problemsAfter("dev", [["app.services[1].routes", { hosts: ["bad_host"], paths: [] }]])).toEqual([
      'config/dev.yaml: app.services[1].routes.hosts[0]: "bad_host" — must be a subdomain of dev.upskill.example.com such as api or admin.app, or @ for the apex',
    ]);
  });

  test("routesFitListenerRule: at most 3 hosts, 3 paths and 5 values per rule, the API origin name included", () => {
    expect(problemsAfter("dev", [["app.services[0].routes", { hosts: ["api", "v1", "v2"], paths: [] }]])).toEqual([
      expect.stringMatching(
        /^config\/dev\.yaml: app\.services\[0\]\.routes: \{"hosts":\["api\.dev\.upskill\.example\.com",.*— a load balancer rule matches at most 3 hosts and 3 paths \(the API origin name counts with the API name\)$/,
      ),
    ]);
    expect(problemsAfter("dev", [["app.services[0].routes", { hosts: ["api", "admin"], paths: ["/a", "/b", "/c"] }]])).toEqual([
      expect.stringMatching(/^config\/dev\.yaml: app\.services\[0\]\.routes: .* — a load balancer rule matches at most 5 hosts and paths together \(the API origin name counts with the API name\)$/),
    ]);
  });

  test("apiRoutedOnce: exactly one service with a port serves the API name", () => {
    expect(problemsAfter("dev", [["app.services[0].port", undefined]])).toEqual([
      'config/dev.yaml: edge.apiSubdomain: "api" — api.dev.upskill.example.com is routed to no app service with a port: route it (app.services[].routes.hosts) or give the api service a port',
    ]);
    expect(problemsAfter("dev", [["app.services[1].routes", { hosts: ["api"], paths: ["/web/*"] }]])).toEqual([
      'config/dev.yaml: edge.apiSubdomain: "api" — api.dev.upskill.example.com is routed to several services (api, web); route it to one',
    ]);
  });

  test("regionalCertificateNames: at most 10 names on the load balancer's certificate", () => {
    const problems = problemsAfter("dev", [
      ["app.services[1].routes", { hosts: ["a", "b", "c"], paths: [] }],
      ["app.services[2].port", 8080],
      ["app.services[2].routes", { hosts: ["d", "e", "f"], paths: [] }],
      ["app.services[3]", { name: "admin", imageTag: "1.0.0", nodeClass: "core", port: 8080, routes: { hosts: ["g", "h", "i"], paths: [] } }],
    ]);
    expect(problems).toEqual([
      expect.stringMatching(/^config\/dev\.yaml: app\.services: \["api\.dev\.upskill\.example\.com",.* — route at most 10 host names to the load balancer: its certificate holds 10 names \(ACM's default quota\)$/),
    ]);
  });

  test("loadBalancerNames: load balancer and target group names fit ELB's 32 characters", () => {
    expect(problemsAfter("dev", [["app.services[1].name", "web-frontend-renderer"]])).toEqual([
      'config/dev.yaml: app.services[1].name: "web-frontend-renderer" — gives the target group name upskill-dev-web-frontend-renderer, longer than the 32 characters ELB allows',
    ]);
    expect(problemsAfter("dev", [["project", "upskill-learning-platform-x"]])).toContain(
      'config/dev.yaml: project: "upskill-learning-platform-x" — gives the load balancer name upskill-learning-platform-x-dev-alb, longer than the 32 characters ELB allows',
    );
  });

  test("edgeBucketNames: the origin bucket names fit S3's 63 characters", () => {
    const project = "upskill-learning-platform-for-everyone";
    expect(problemsAfter("dev", [["project", project]])).toContain(
      `config/dev.yaml: project: "${project}" — gives the bucket name ${project}-dev-maintenance-111111111111, longer than the 63 characters S3 allows`,
    );
  });
});
