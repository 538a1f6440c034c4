import { Testing } from "cdktf";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { HostedZone } from "../../modules/dns/hosted-zone";
import { AliasRecords, type AliasRecordsProps } from "../../modules/dns/alias-records";
import { ZoneDelegation } from "../../modules/dns/zone-delegation";
import { parseSynth, resourcesOf } from "../support/fixtures";

describe("HostedZone", () => {
  test("creates a public zone that cannot be destroyed by accident", () => {
    const json = parseSynth(Testing.synthScope((s) => void new HostedZone(s, "zone", { domainName: "dev.example.com", create: true })));
    expect(JSON.stringify(json)).toHaveResourceWithProperties(Route53Zone, { name: "dev.example.com", force_destroy: false, lifecycle: { prevent_destroy: true } });
    expect(json.data).toBeUndefined();
  });

  test("or looks an existing public zone up by name", () => {
    const json = parseSynth(Testing.synthScope((s) => void new HostedZone(s, "zone", { domainName: "example.com", create: false })));
    expect(resourcesOf(json, "aws_route53_zone")).toEqual({});
    expect(Object.values(json.data?.aws_route53_zone ?? {})).toEqual([{ name: "example.com", private_zone: false }]);
  });

  test("refuses a name that is not a domain", () => {
    expect(() => Testing.synthScope((s) => void new HostedZone(s, "zone", { domainName: "not a domain", create: true }))).toThrow(/domainName must be a lower-case DNS name/);
  });
});

describe("AliasRecords", () => {
  const synth = (props: Partial<AliasRecordsProps> = {}) =>
    parseSynth(
      Testing.synthScope(
        (s) =>
          void new AliasRecords(s, "site", {
            zoneId: "Z1",
            names: ["example.com", "www.example.com"],
            target: { dnsName: "d111.cloudfront.net", zoneId: "Z2FDTNDATAQYW2" },
            ...props,
          }),
      ),
    );

  test("points every name at the target with A and AAAA aliases by default", () => {
    const records = Object.values(resourcesOf(synth(), "aws_route53_record"));
    expect(records.map((r) => `${r.name} ${r.type}`).sort()).toEqual(["example.com A", "example.com AAAA", "www.example.com A", "www.example.com AAAA"]);
    for (const r of records) {
      expect(r.alias).toEqual({ name: "d111.cloudfront.net", zone_id: "Z2FDTNDATAQYW2", evaluate_target_health: false });
      expect(r.zone_id).toBe("Z1");
    }
  });

  test("record types and target health are options", () => {
    const json = synth({ names: ["api-origin.example.com"], recordTypes: ["A"], evaluateTargetHealth: true });
    expect(JSON.stringify(json)).toHaveResourceWithProperties(Route53Record, {
      name: "api-origin.example.com",
      type: "A",
      alias: expect.objectContaining({ evaluate_target_health: true }),
    });
    expect(Object.keys(resourcesOf(json, "aws_route53_record"))).toHaveLength(1);
  });

  test("refuses an empty list of names", () => {
    expect(() => synth({ names: [] })).toThrow(/give at least one name/);
  });
});

describe("ZoneDelegation", () => {
  test("writes the child's name servers as an NS record in the parent zone, looked up by name", () => {
    const json = parseSynth(
      Testing.synthScope((s) => void new ZoneDelegation(s, "delegation", { zoneName: "dev.example.com", parentZoneName: "example.com", nameServers: ["ns-1.awsdns-01.org", "ns-2.awsdns-02.com"] })),
    );
    const [[parentName, parent]] = Object.entries(json.data?.aws_route53_zone ?? {});
    expect(parent).toEqual({ name: "example.com", private_zone: false });
    expect(Object.values(resourcesOf(json, "aws_route53_record"))).toEqual([
      { zone_id: `\${data.aws_route53_zone.${parentName}.zone_id}`, name: "dev.example.com", type: "NS", ttl: 3600, records: ["ns-1.awsdns-01.org", "ns-2.awsdns-02.com"] },
    ]);
  });

  test("refuses a parent that is not above the zone", () => {
    expect(() => Testing.synthScope((s) => void new ZoneDelegation(s, "d", { zoneName: "dev.example.com", parentZoneName: "other.com", nameServers: [] }))).toThrow(/dev\.example\.com is not under other\.com/);
  });
});
