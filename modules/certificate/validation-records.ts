import { Construct } from "constructs";
import { Fn, TerraformIterator, TerraformLocal, Token, type TerraformProvider } from "cdktf";
import type { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";

export interface CertificateValidationRecordsProps {
  /** Route 53 hosted zone the records are written to; it must be authoritative for every name. */
  readonly zoneId: string;
  /**
   * Every name of every certificate that will be added (each once; the for_each keys, known at
   * synthesis). A certificate with a name not listed is refused.
   */
  readonly names: readonly string[];
  /** TTL of the CNAMEs, seconds. Default: 60. */
  readonly ttl?: number;
  /** Provider the records are written with (Route 53 is global). Default: the stack's default provider. */
  readonly provider?: TerraformProvider;
}

/**
 * The DNS validation CNAMEs of every certificate of a stack, one record per name however many
 * certificates cover it. ACM gives one CNAME per name and account (the same for a regional and a
 * us-east-1 certificate of that name), so two certificates that each wrote it would hold the same
 * Route 53 record through two resources, and removing one would delete the record the other's
 * renewal needs. Here one resource owns each record and every certificate's validation waits on it.
 *
 * Records are keyed by the names, known at synthesis: `for_each` keys must be known at plan time,
 * and the validation options are a set whose members are known only once the certificate exists.
 * The record's fields are looked up by name in the certificates' merged validation options.
 * Construct ids: `options-<n>` (each certificate's options by name), `validation-options` (merged), `record`.
 */
export class CertificateValidationRecords extends Construct {
  readonly record: Route53Record;
  /** Every name with a record. */
  readonly recordNames: readonly string[];
  private readonly certificates: AcmCertificate[] = [];
  private readonly covered = new Set<string>();
  private readonly options: TerraformLocal;
  private readonly perCertificate: unknown[] = [];

  constructor(scope: Construct, id: string, props: CertificateValidationRecordsProps) {
    super(scope, id);
    const duplicate = props.names.find((n, i) => props.names.indexOf(n) !== i);
    if (duplicate) throw new Error(`CertificateValidationRecords ${id}: "${duplicate}" is listed twice; list each name once`);
    if (props.names.length === 0) throw new Error(`CertificateValidationRecords ${id}: give the names of the certificates`);
    this.recordNames = [...props.names];
    const ttl = props.ttl ?? 60;
    if (!Number.isInteger(ttl) || ttl < 1) throw new Error(`CertificateValidationRecords ${id}: ttl must be a positive number of seconds, got ${ttl}`);
    // Set by add(): the merged validation options of every certificate, keyed by name.
    this.options = new TerraformLocal(this, "validation-options", {});
    const options = this.options;
    this.node.addValidation({
      validate: () => {
        const unused = this.recordNames.filter((n) => !this.covered.has(n));
        return unused.length > 0 ? [`CertificateValidationRecords ${id}: no certificate covers ${unused.join(", ")}; list only the certificates' names`] : [];
      },
    });
    const option = (field: string) => `\${${options.fqn}[each.key].${field}}`;
    this.record = new Route53Record(this, "record", {
      forEach: TerraformIterator.fromList([...this.recordNames]),
      zoneId: props.zoneId,
      name: option("resource_record_name"),
      type: option("resource_record_type"),
      records: [option("resource_record_value")],
      ttl,
      // A record of the same name left by a certificate outside this stack is taken over, not refused.
      allowOverwrite: true,
      provider: props.provider,
    });
  }

  /**
   * Adds a certificate whose names are among `names` and returns the
   * FQDNs of its records, for its `aws_acm_certificate_validation`.
   */
  add(certificate: AcmCertificate, names: readonly string[]): string[] {
    const missing = names.filter((n) => !this.recordNames.includes(n));
    if (missing.length > 0) throw new Error(`CertificateValidationRecords ${this.node.id}: ${missing.join(", ")} not in names; list every certificate's names there`);
    this.certificates.push(certificate);
    for (const n of names) this.covered.add(n);
    // The same name gets the same CNAME from every certificate of the account: either map's entry serves.
    const own = new TerraformLocal(this, `options-${this.certificates.length}`, `\${{ for o in ${certificate.fqn}.domain_validation_options : o.domain_name => o }}`);
    this.perCertificate.push(own.asAnyMap);
    this.options.expression = Fn.merge(this.perCertificate);
    return Token.asList(`\${[for name in ${JSON.stringify(names)} : ${this.record.fqn}[name].fqdn]}`);
  }
}
