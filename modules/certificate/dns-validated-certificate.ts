import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { CertificateValidationRecords } from "./validation-records";

/** Key algorithms ACM issues public certificates with. */
export type CertificateKeyAlgorithm = "RSA_2048" | "EC_prime256v1" | "EC_secp384r1";

export interface DnsValidatedCertificateProps {
  /** The certificate's main name, e.g. `api.example.com`. */
  readonly domainName: string;
  /** Further names the certificate covers. Default: none. */
  readonly subjectAlternativeNames?: readonly string[];
  /**
   * The validation records shared by the stack's certificates (one record per name, however many
   * certificates cover it). Give this or `zoneId`.
   */
  readonly validationRecords?: CertificateValidationRecords;
  /**
   * Route 53 hosted zone for validation records of this certificate alone (child `validation-records`);
   * it must be authoritative for every name. Give this or `validationRecords`.
   */
  readonly zoneId?: string;
  /** Default: RSA_2048, the algorithm every client accepts. */
  readonly keyAlgorithm?: CertificateKeyAlgorithm;
  /**
   * Provider of the certificate's region: the region of the service that uses it
   * (us-east-1 for CloudFront). Default: the stack's default provider.
   */
  readonly provider?: TerraformProvider;
  /** Provider the Route 53 records are written with (Route 53 is global). Default: the stack's default provider. */
  readonly dnsProvider?: TerraformProvider;
  /** TTL of the validation CNAMEs, seconds, with `zoneId`. Default: 60. */
  readonly validationRecordTtl?: number;
  /**
   * How long the apply waits for ACM to issue the certificate (Terraform duration). Default: 45m,
   * so a validation that cannot happen (zone not delegated) fails the apply with a message instead
   * of hanging for the provider's 75 minutes.
   */
  readonly validationTimeout?: string;
}

const NAME = /^(\*\.)?(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * A public ACM certificate validated through Route 53: the certificate
 * (replaced before it is destroyed, so listeners never lose it), its CNAMEs
 * (in the stack's shared `CertificateValidationRecords`, or its own), and the
 * validation that waits, for at most `validationTimeout`, until ACM has issued
 * it. Use `certificateArn`, which resolves only once issued.
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
    if ((props.validationRecords === undefined) === (props.zoneId === undefined)) {
      throw new Error(`DnsValidatedCertificate ${id}: give either validationRecords (shared with the stack's other certificates) or zoneId`);
    }
    const timeout = props.validationTimeout ?? "45m";
    if (!/^\d+[smh]$/.test(timeout)) throw new Error(`DnsValidatedCertificate ${id}: validationTimeout must be a duration such as 45m, got "${timeout}"`);

    this.certificate = new AcmCertificate(this, "certificate", {
      domainName: props.domainName,
      subjectAlternativeNames: sans.length > 0 ? sans : undefined,
      validationMethod: "DNS",
      keyAlgorithm: props.keyAlgorithm ?? "RSA_2048",
      provider: props.provider,
      lifecycle: { createBeforeDestroy: true },
    });

    const records =
      props.validationRecords ??
      new CertificateValidationRecords(this, "validation-records", { zoneId: props.zoneId!, names, ttl: props.validationRecordTtl, provider: props.dnsProvider });
    this.validation = new AcmCertificateValidation(this, "validation", {
      certificateArn: this.certificate.arn,
      validationRecordFqdns: records.add(this.certificate, names),
      timeouts: { create: timeout },
      provider: props.provider,
    });
    this.certificateArn = this.validation.certificateArn;
    this.domainNames = names;
  }
}
