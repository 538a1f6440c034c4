import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";

/** A service principal's use of the key. */
export interface KmsServiceGrant {
  /** Statement id, e.g. `CloudWatchLogs`. */
  readonly sid: string;
  /** Service principal, e.g. `logs.eu-west-1.amazonaws.com`. */
  readonly service: string;
  readonly actions: readonly string[];
  /** IAM condition block, e.g. `{ ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:..." } }`. */
  readonly condition?: Record<string, Record<string, string | readonly string[]>>;
}

/**
 * Use of the key by any principal of the key's account, but only through one AWS
 * service (`kms:CallerAccount` + `kms:ViaService`): the pattern of AWS-managed keys
 * such as aws/ebs. Needed where a service-linked role that IAM policies cannot
 * extend uses the key (EC2 Auto Scaling launching nodes with encrypted volumes).
 */
export interface KmsViaServiceGrant {
  /** Statement id, e.g. `EbsForAccountPrincipals`. */
  readonly sid: string;
  /** e.g. `ec2.eu-west-1.amazonaws.com`. */
  readonly viaService: string;
  readonly actions: readonly string[];
}

export interface KmsKeyProps {
  /** Alias without the `alias/` prefix, e.g. `upskill-prod/logs`. */
  readonly alias: string;
  readonly description: string;
  /** The account whose root administers the key (delegating to IAM policies). */
  readonly accountId: string;
  /** Services allowed to use the key directly. Default: none; principals of the account use it through IAM policies. */
  readonly serviceGrants?: readonly KmsServiceGrant[];
  /** Account principals allowed to use the key through one service. Default: none. */
  readonly viaServiceGrants?: readonly KmsViaServiceGrant[];
  /** Default: the stack's default AWS provider. */
  readonly provider?: TerraformProvider;
  /** Waiting period before a scheduled deletion completes. Default: 30 days, the maximum. */
  readonly deletionWindowInDays?: number;
}

/**
 * A customer-managed KMS key with yearly rotation, an alias, a key policy that
 * names only the account root and the given services, and `prevent_destroy`.
 */
export class KmsKey extends Construct {
  readonly keyArn: string;
  readonly keyId: string;
  readonly aliasName: string;
  readonly aliasArn: string;
  readonly key: KmsKeyResource;

  constructor(scope: Construct, id: string, props: KmsKeyProps) {
    super(scope, id);
    if (!/^\d{12}$/.test(props.accountId)) throw new Error(`KmsKey ${id}: accountId must be 12 digits, got ${props.accountId}`);
    if (props.alias.startsWith("alias/")) throw new Error(`KmsKey ${id}: give the alias without the "alias/" prefix (${props.alias})`);
    const statements: Record<string, unknown>[] = [
      {
        Sid: "AccountAdministersKeyAndDelegatesToIam",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${props.accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
      ...(props.serviceGrants ?? []).map((g) => ({
        Sid: g.sid,
        Effect: "Allow",
        Principal: { Service: g.service },
        Action: [...g.actions],
        Resource: "*",
        ...(g.condition ? { Condition: g.condition } : {}),
      })),
      ...(props.viaServiceGrants ?? []).map((g) => ({
        Sid: g.sid,
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: [...g.actions],
        Resource: "*",
        Condition: { StringEquals: { "kms:CallerAccount": props.accountId, "kms:ViaService": g.viaService } },
      })),
    ];
    this.key = new KmsKeyResource(this, "key", {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowInDays ?? 30,
      policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
      provider: props.provider,
      lifecycle: { preventDestroy: true },
    });
    const alias = new KmsAlias(this, "alias", {
      name: `alias/${props.alias}`,
      targetKeyId: this.key.keyId,
      provider: props.provider,
    });
    this.keyArn = this.key.arn;
    this.keyId = this.key.keyId;
    this.aliasName = alias.name;
    this.aliasArn = alias.arn;
  }
}
