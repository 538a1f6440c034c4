import { Testing } from "cdktf";
import { Route53HealthCheck } from "@cdktf/provider-aws/lib/route53-health-check";
import { FailoverRecord, type FailoverRecordProps } from "../../modules/failover-record/failover-record";
import { HttpsHealthCheck } from "../../modules/failover-record/health-check";
import { parseSynth, resourcesOf } from "../support/fixtures";

const base: FailoverRecordProps = {
  zoneId: "Z1",
  name: "api.example.com",
  primary: { dnsName: "alb-123.eu-west-1.elb.amazonaws.com", zoneId: "Z32O12XQLNTSW2" },
  secondary: { dnsName: "d222.cloudfront.net", zoneId: "Z2FDTNDATAQYW2" },
  healthCheck: { fqdn: "api-origin.example.com", resourcePath: "/healthz" },
};
const synth = (props: Partial<FailoverRecordProps> = {}) => Testing.synthScope((s) => void new FailoverRecord(s, "api", { ...base, ...props }));

describe("FailoverRecord", () => {
  test("checks the primary over HTTPS with SNI, every 30 s, 3 failures, latency measured", () => {
    expect(synth()).toHaveResourceWithProperties(Route53HealthCheck, {
      type: "HTTPS",
      fqdn: "api-origin.example.com",
      port: 443,
      resource_path: "/healthz",
      request_interval: 30,
      failure_threshold: 3,
      measure_latency: true,
      enable_sni: true,
    });
  });

  test("the primary alias carries the health check and is judged by it alone (no target-health evaluation); the secondary has neither", () => {
    const json = parseSynth(synth());
    const checkName = Object.keys(resourcesOf(json, "aws_route53_health_check"))[0];
    const records = Object.values(resourcesOf(json, "aws_route53_record"));
    expect(records).toHaveLength(2);
    const primary = records.find((r) => r.failover_routing_policy.type === "PRIMARY")!;
    const secondary = records.find((r) => r.failover_routing_policy.type === "SECONDARY")!;
    expect(primary).toMatchObject({
      name: "api.example.com",
      type: "A",
      zone_id: "Z1",
      set_identifier: "primary",
      health_check_id: `\${aws_route53_health_check.${checkName}.id}`,
      // An ALB alias is healthy only when every target group with targets is: evaluating it would fail the API over with web.
      alias: { name: base.primary.dnsName, zone_id: base.primary.zoneId, evaluate_target_health: false },
    });
    expect(secondary).toMatchObject({
      name: "api.example.com",
      type: "A",
      set_identifier: "secondary",
      alias: { name: base.secondary.dnsName, zone_id: base.secondary.zoneId, evaluate_target_health: false },
    });
    expect(secondary.health_check_id).toBeUndefined();
  });

  test("one pair per record type", () => {
    const records = Object.values(resourcesOf(parseSynth(synth({ recordTypes: ["A", "AAAA"] })), "aws_route53_record"));
    expect(records.map((r) => `${r.type} ${r.set_identifier}`).sort()).toEqual(["A primary", "A secondary", "AAAA primary", "AAAA secondary"]);
  });

  test("refuses a health check of the failover name itself", () => {
    expect(() => synth({ healthCheck: { fqdn: "api.example.com", resourcePath: "/healthz" } })).toThrow(/must probe the primary under another name than "api.example.com"/);
  });
});

describe("HttpsHealthCheck", () => {
  const check = (props: Partial<ConstructorParameters<typeof HttpsHealthCheck>[2]>) =>
    Testing.synthScope((s) => void new HttpsHealthCheck(s, "hc", { fqdn: "a.example.com", resourcePath: "/", ...props }));

  test("interval, threshold, port and latency are options", () => {
    expect(check({ requestInterval: 10, failureThreshold: 5, port: 8443, measureLatency: false })).toHaveResourceWithProperties(Route53HealthCheck, {
      request_interval: 10,
      failure_threshold: 5,
      port: 8443,
      measure_latency: false,
    });
  });

  test("refuses a path without '/', an interval Route 53 lacks and a threshold out of range", () => {
    expect(() => check({ resourcePath: "healthz" })).toThrow(/resourcePath must start with "\/"/);
    expect(() => check({ requestInterval: 20 as 10 })).toThrow(/requestInterval must be 10 or 30/);
    expect(() => check({ failureThreshold: 11 })).toThrow(/failureThreshold must be 1-10/);
  });
});
