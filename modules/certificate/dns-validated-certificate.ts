import { Construct } from "constructs";
import { TerraformIterator, TerraformLocal, Token, type TerraformProvider } from "cdktf";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";

/** Key algorithms ACM issues public certificates with. */
export type CertificateKeyAlgorithm = "RSA_2048" | "EC_prime256v1" | "EC_secp384r1";

export interface DnsValidatedCertificateProps {
  /** The certificate's main name, e.g. `api.example.com`. */
  readonly domainName: string;
  /** Further names the certificate covers. Default: none. */
  readonly subjectAlternativeNames?: readonly string[];
  /** Route 53 hosted zone the validation records are written to; it must be authoritative for every name. */
  readonly zoneId: string;
  /** Default: RSA_2048, the algorithm every client accepts. */
  readonly keyAlgorithm?: CertificateKeyAlgorithm;
  /**
   * Provider of the certificate's region: the region of the service that uses it
   * (us-east-1 for CloudFront). Default: the stack's default provider.
   */
  readonly provider?: TerraformProvider;
  /** Provider the Route 53 records are written with (Route 53 is global). Default: the stack's default provider. */
  readonly dnsProvider?: TerraformProvider;
  /** TTL of the validation CNAMEs, seconds. Default: 60. */
  readonly validationRecordTtl?: number;
}

const NAME = /^(\*\.)?(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * A public ACM certificate validated through Route 53: the certificate
 * (replaced before it is destroyed, so listeners never lose it), one CNAME per
 * name from its domain validation options, and the validation that waits until
 * ACM has issued it. Use `certificateArn`, which resolves only once issued.
 */
export class DnsValidatedCertificate extends Construct {
  /** ARN of the issued certificate (depends on the validation). */
  readonly certificateArn: string;
  /** Every name the certificate covers, main name first. */
  readonly domainNames: readonly string[];
  readonly certificate: AcmCertificate;
  readonly validation: AcmCertificateValidation;

  constructor(scope: Construct, id: string, props: DnsValidatedCertificateProps) {
    super(scope, id);
    const sans = [...(props.subjectAlternativeNames ?? [])];
    const names = [props.domainName, ...sans];
    for (const n of names) {
      if (!NAME.test(n)) throw new Error(`DnsValidatedCertificate ${id}: "${n}" is not a lower-case DNS name (wildcards only as a leading "*.")`);
    }
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate) throw new Error(`DnsValidatedCertificate ${id}: "${duplicate}" is listed twice; list each name once`);
    const ttl = props.validationRecordTtl ?? 60;
    if (!Number.isInteger(ttl) || ttl < 1) throw new Error(`DnsValidatedCertificate ${id}: validationRecordTtl must be a positive number of seconds, got ${ttl}`);

    this.certificate = new AcmCertificate(this, "certificate", {
      domainName: props.domainName,
      subjectAlternativeNames: sans.length > 0 ? sans : undefined,
      validationMethod: "DNS",
      keyAlgorithm: props.keyAlgorithm ?? "RSA_2048",
      provider: props.provider,
      lifecycle: { createBeforeDestroy: true },
    });

    // One record per name, keyed by the names themselves: for_each keys must be
    // known at plan time, and the validation options are a set whose records are
    // known only once the certificate exists (iterating them, even by their
    // domain_name, makes Terraform refuse the plan of a new certificate:
    // "Invalid for_each argument"). The record's fields are looked up by name.
    const options = new TerraformLocal(this, "validation-options", `\${{ for o in ${this.certificate.fqn}.domain_validation_options : o.domain_name => o }}`);
    const byName = TerraformIterator.fromList(names);
    const option = (field: string) => `\${${options.fqn}[each.key].${field}}`;
    const records = new Route53Record(this, "validation-record", {
      forEach: byName,
      zoneId: props.zoneId,
      name: option("resource_record_name"),
      type: option("resource_record_type"),
      records: [option("resource_record_value")],
      ttl,
      // Certificates for the same name share the validation CNAME.
      allowOverwrite: true,
      provider: props.dnsProvider,
    });

    this.validation = new AcmCertificateValidation(this, "validation", {
      certificateArn: this.certificate.arn,
      validationRecordFqdns: Token.asList(TerraformIterator.fromResources(records).pluckProperty("fqdn")),
      provider: props.provider,
    });
    this.certificateArn = this.validation.certificateArn;
    this.domainNames = names;
  }
}
