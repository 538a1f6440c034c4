import { TerraformOutput, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { DnsValidatedCertificate, type DnsValidatedCertificateProps } from "../../modules/certificate/dns-validated-certificate";
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
    const [[localName, local]] = Object.entries<string>((json.locals ?? {}) as Record<string, string>);
    expect(local).toMatch(/^\$\{\{ for o in aws_acm_certificate\.cert_certificate_\w+\.domain_validation_options : o\.domain_name => o \}\}$/);
    expect(record).toMatchObject({
      zone_id: "Z123",
      name: `\${local.${localName}[each.key].resource_record_name}`,
      type: `\${local.${localName}[each.key].resource_record_type}`,
      records: [`\${local.${localName}[each.key].resource_record_value}`],
      ttl: 60,
      allow_overwrite: true,
    });
  });

  test("the validation waits for every record and the exposed ARN is the validated one", () => {
    const json = parseSynth(synth());
    const [[, validation]] = Object.entries(resourcesOf(json, "aws_acm_certificate_validation"));
    const recordName = Object.keys(resourcesOf(json, "aws_route53_record"))[0];
    const certName = Object.keys(resourcesOf(json, "aws_acm_certificate"))[0];
    expect(validation.certificate_arn).toBe(`\${aws_acm_certificate.${certName}.arn}`);
    expect(validation.validation_record_fqdns).toBe(`\${[ for key, val in aws_route53_record.${recordName}: val.fqdn]}`);

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
    expect(() => synth({ validationRecordTtl: 0 })).toThrow(/validationRecordTtl must be a positive number/);
    expect(() => synth({ subjectAlternativeNames: ["*.example.com"] })).not.toThrow();
  });
});
