import { TerraformOutput, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { DnsValidatedCertificate, type DnsValidatedCertificateProps } from "../../modules/certificate/dns-validated-certificate";
import { CertificateValidationRecords } from "../../modules/certificate/validation-records";
import { parseSynth, resourcesOf } from "../support/fixtures";

function synth(props: Partial<DnsValidatedCertificateProps> = {}, usEast1 = false) {
  return Testing.synthScope((scope) => {
    const provider = usEast1 ? new AwsProvider(scope, "use1", { region: "us-east-1", alias: "us_east_1" }) : undefined;
    new DnsValidatedCertificate(scope, "cert", { domainName: "api.example.com", subjectAlternativeNames: ["example.com"], zoneId: "Z123", provider, ...props });
  });
}

describe("DnsValidatedCertificate", () => {
  test("requests a DNS-validated RSA certificate for the name and SANs, replaced before it is destroyed", () => {
    expect(synth()).toHaveResourceWithProperties(AcmCertificate, {
      domain_name: "api.example.com",
      subject_alternative_names: ["example.com"],
      validation_method: "DNS",
      key_algorithm: "RSA_2048",
      lifecycle: { create_before_destroy: true },
    });
  });

  test("writes one validation record per name, keyed by the names known at synthesis", () => {
    // for_each over the validation options themselves cannot be planned for a new
    // certificate (Terraform: "Invalid for_each argument"); __tests__/tools/rehearse
    // plans this module with Terraform core.
    const json = parseSynth(synth());
    const records = Object.values(resourcesOf(json, "aws_route53_record"));
    expect(records).toHaveLength(1);
    const [record] = records;
    expect(record.for_each).toBe('${toset(["api.example.com", "example.com"])}');
    expect(record.for_each).not.toMatch(/domain_validation_options/);
    const locals = (json.locals ?? {}) as Record<string, string>;
    const perCertificate = Object.entries(locals).find(([, v]) => v.includes("domain_validation_options"))!;
    expect(perCertificate[1]).toMatch(/^\$\{\{ for o in aws_acm_certificate\.cert_certificate_\w+\.domain_validation_options : o\.domain_name => o \}\}$/);
    const [merged] = Object.entries(locals).find(([, v]) => v.startsWith("${merge("))!;
    expect(locals[merged]).toBe(`\${merge(local.${perCertificate[0]})}`);
    expect(record).toMatchObject({
      zone_id: "Z123",
      name: `\${local.${merged}[each.key].resource_record_name}`,
      type: `\${local.${merged}[each.key].resource_record_type}`,
      records: [`\${local.${merged}[each.key].resource_record_value}`],
      ttl: 60,
      allow_overwrite: true,
    });
  });

  test("the validation waits, at most 45 minutes, for the records of its own names; the exposed ARN is the validated one", () => {
    const json = parseSynth(synth());
    const [[, validation]] = Object.entries(resourcesOf(json, "aws_acm_certificate_validation"));
    const recordName = Object.keys(resourcesOf(json, "aws_route53_record"))[0];
    const certName = Object.keys(resourcesOf(json, "aws_acm_certificate"))[0];
    expect(validation.certificate_arn).toBe(`\${aws_acm_certificate.${certName}.arn}`);
    expect(validation.validation_record_fqdns).toBe(`\${[for name in ["api.example.com","example.com"] : aws_route53_record.${recordName}[name].fqdn]}`);
    expect(validation.timeouts).toEqual({ create: "45m" });
    expect(Object.values(resourcesOf(parseSynth(synth({ validationTimeout: "10m" })), "aws_acm_certificate_validation"))[0].timeouts).toEqual({ create: "10m" });

    const used = parseSynth(
      Testing.synthScope((scope) => {
        new TerraformOutput(scope, "arn", { value: new DnsValidatedCertificate(scope, "cert", { domainName: "example.com", zoneId: "Z1" }).certificateArn });
      }),
    );
    expect(used.output?.arn.value).toMatch(/^\$\{aws_acm_certificate_validation\.cert_validation_\w+\.certificate_arn\}$/);
  });

  test("the certificate and validation use the given provider; the records stay on the default one", () => {
    const json = parseSynth(synth({}, true));
    expect(Object.values(resourcesOf(json, "aws_acm_certificate"))[0].provider).toBe("aws.us_east_1");
    expect(Object.values(resourcesOf(json, "aws_acm_certificate_validation"))[0].provider).toBe("aws.us_east_1");
    expect(Object.values(resourcesOf(json, "aws_route53_record"))[0].provider).toBeUndefined();
  });

  test("options: no SANs, another key algorithm and TTL", () => {
    const json = parseSynth(synth({ subjectAlternativeNames: [], keyAlgorithm: "EC_prime256v1", validationRecordTtl: 300 }));
    const cert = Object.values(resourcesOf(json, "aws_acm_certificate"))[0];
    expect(cert.subject_alternative_names).toBeUndefined();
    expect(cert.key_algorithm).toBe("EC_prime256v1");
    expect(Object.values(resourcesOf(json, "aws_route53_record"))[0].ttl).toBe(300);
  });

  test("refuses malformed or repeated names and a bad TTL", () => {
    expect(() => synth({ domainName: "Not A Name" })).toThrow(/"Not A Name" is not a lower-case DNS name/);
    expect(() => synth({ subjectAlternativeNames: ["api.example.com"] })).toThrow(/"api.example.com" is listed twice/);
    expect(() => synth({ validationRecordTtl: 0 })).toThrow(/ttl must be a positive number/);
    expect(() => synth({ validationTimeout: "forever" })).toThrow(/validationTimeout must be a duration/);
    expect(() => synth({ zoneId: undefined })).toThrow(/give either validationRecords .* or zoneId/);
    expect(() => synth({ subjectAlternativeNames: ["*.example.com"] })).not.toThrow();
  });
});

describe("CertificateValidationRecords shared by two certificates (regional and us-east-1)", () => {
  // The names the edge stack gives: the ALB's and CloudFront's certificates overlap on api and the apex.
  const albNames = ["api.example.com", "api-origin.example.com", "example.com"];
  const cdnNames = ["example.com", "www.example.com", "api.example.com"];
  const json = parseSynth(
    Testing.synthScope((scope) => {
      const usEast1 = new AwsProvider(scope, "use1", { region: "us-east-1", alias: "us_east_1" });
      const records = new CertificateValidationRecords(scope, "validation-records", { zoneId: "Z123", names: [...new Set([...albNames, ...cdnNames])] });
      new DnsValidatedCertificate(scope, "alb", { domainName: albNames[0], subjectAlternativeNames: albNames.slice(1), validationRecords: records });
      new DnsValidatedCertificate(scope, "cdn", { domainName: cdnNames[0], subjectAlternativeNames: cdnNames.slice(1), validationRecords: records, provider: usEast1 });
    }),
  );

  test("every validation name is written exactly once, by one record resource", () => {
    const records = Object.entries(resourcesOf(json, "aws_route53_record"));
    expect(records).toHaveLength(1);
    const keys = JSON.parse(records[0][1].for_each.replace(/^\$\{toset\((.*)\)\}$/, "$1")) as string[];
    expect(keys.sort()).toEqual(["api-origin.example.com", "api.example.com", "example.com", "www.example.com"]);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test("both validations reference the one record of each of their names", () => {
    const [recordName] = Object.keys(resourcesOf(json, "aws_route53_record"));
    const validations = resourcesOf(json, "aws_acm_certificate_validation");
    const fqdnsOf = (prefix: string) => {
      const [, v] = Object.entries(validations).find(([n]) => n.startsWith(prefix))!;
      const m = /^\$\{\[for name in (\[.*\]) : aws_route53_record\.(\S+)\[name\]\.fqdn\]\}$/.exec(v.validation_record_fqdns)!;
      expect(m[2]).toBe(recordName);
      return JSON.parse(m[1]) as string[];
    };
    expect(fqdnsOf("alb_")).toEqual(albNames);
    expect(fqdnsOf("cdn_")).toEqual(cdnNames);
    for (const shared of ["api.example.com", "example.com"]) {
      expect(fqdnsOf("alb_")).toContain(shared);
      expect(fqdnsOf("cdn_")).toContain(shared);
    }
  });

  test("the records' values come from both certificates' validation options, merged by name", () => {
    const locals = (json.locals ?? {}) as Record<string, string>;
    const perCertificate = Object.entries(locals).filter(([, v]) => v.includes("domain_validation_options"));
    expect(perCertificate.map(([, v]) => /aws_acm_certificate\.(\w+?)_certificate/.exec(v)![1]).sort()).toEqual(["alb", "cdn"]);
    const merged = Object.values(locals).find((v) => v.startsWith("${merge("))!;
    expect(merged).toBe(`\${merge(${perCertificate.map(([n]) => `local.${n}`).join(", ")})}`);
  });

  test("refuses a certificate whose name is not listed, and a listed name no certificate covers", () => {
    expect(() =>
      Testing.synthScope((scope) => {
        const records = new CertificateValidationRecords(scope, "r", { zoneId: "Z1", names: ["example.com"] });
        new DnsValidatedCertificate(scope, "c", { domainName: "example.com", subjectAlternativeNames: ["www.example.com"], validationRecords: records });
      }),
    ).toThrow(/www\.example\.com not in names/);
    let unused: string[] = [];
    Testing.synthScope((scope) => {
      const records = new CertificateValidationRecords(scope, "r", { zoneId: "Z1", names: ["example.com", "www.example.com"] });
      new DnsValidatedCertificate(scope, "c", { domainName: "example.com", validationRecords: records });
      unused = records.node.validate(); // what the App's synthesis runs
    });
    expect(unused).toEqual(["CertificateValidationRecords r: no certificate covers www.example.com; list only the certificates' names"]);
    expect(() => Testing.synthScope((scope) => void new CertificateValidationRecords(scope, "r", { zoneId: "Z1", names: ["a.com", "a.com"] }))).toThrow(/listed twice/);
  });
});
