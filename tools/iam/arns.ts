import { createHash } from "node:crypto";
import type { SynthApp, StackJson } from "../synth/app";

/**
 * Turns the `${...}` references of synthesized policies into the values AWS
 * would give them at apply time: ARNs built the way each service builds them
 * (bucket `arn:aws:s3:::<name>`, key `arn:aws:kms:<region>:<account>:key/<uuid>`,
 * RDS-managed secret `...:secret:rds!db-<uuid>-AbCdEf`...), with identifiers
 * that are unknown until apply (key ids, secret suffixes) derived from the
 * resource's address so each resource gets its own stable fake value.
 * Cross-stack references follow `terraform_remote_state` to the producing
 * stack's output. A reference it does not know throws: a policy the IAM suite
 * cannot resolve is a policy it cannot prove anything about.
 */
export class ArnResolver {
  constructor(private readonly app: SynthApp) {}

  /** Every `${...}` of `text` replaced, in the scope of `stack`. */
  resolveText(stack: string, text: string): string {
    return text.replace(/\$\{([^{}]+)\}/g, (_, expr: string) => this.resolveExpression(stack, expr.trim()));
  }

  /** A whole JSON policy document given as text, resolved and parsed. */
  resolveDocument(stack: string, text: string): any {
    return JSON.parse(this.resolveText(stack, text));
  }

  /** The account of a stack (its providers' `allowed_account_ids`). */
  accountOf(stack: string): string {
    const id = this.providers(stack)[0]?.allowed_account_ids?.[0];
    if (!id) throw new Error(`${stack}: no AWS provider with allowed_account_ids`);
    return String(id);
  }

  /** The region of a resource's provider (`provider: "aws.dr"`), default the stack's default provider. */
  regionOf(stack: string, config: Record<string, any>): string {
    const ref = typeof config.provider === "string" ? /^\$\{aws\.([\w-]+)\}$|^aws\.([\w-]+)$/.exec(config.provider) : null;
    const alias = ref ? (ref[1] ?? ref[2]) : undefined;
    const p = this.providers(stack).find((x) => (alias ? x.alias === alias : !x.alias));
    if (!p) throw new Error(`${stack}: no AWS provider ${alias ?? "(default)"}`);
    return String(p.region);
  }

  resolveExpression(stack: string, expr: string): string {
    if (expr === "terraform.workspace") return "default";
    const remote = /^data\.terraform_remote_state\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expr);
    if (remote) return this.remoteOutput(stack, remote[1]!, remote[2]!);
    // A connection found by name (the CI runners' GitHub connection, made by the bootstrap layer): an ARN with CodeConnections' UUID.
    const connection = /^data\.aws_codestarconnections_connection\.([\w-]+)\.arn$/.exec(expr);
    if (connection) return `arn:aws:codeconnections:${this.regionOf(stack, {})}:${this.accountOf(stack)}:connection/${uuid(`${stack}/data.aws_codestarconnections_connection.${connection[1]}`)}`;
    const data = /^data\.(aws_caller_identity|aws_region|aws_partition)\.[\w-]+\.(\w+)$/.exec(expr);
    if (data) {
      if (data[1] === "aws_caller_identity") return this.accountOf(stack);
      if (data[1] === "aws_partition") return "aws";
      return this.regionOf(stack, {});
    }
    const m = /^(aws_[a-z0-9_]+)\.([\w-]+)\.(.+)$/.exec(expr);
    if (!m) throw new Error(`${stack}: cannot resolve \${${expr}}`);
    const [, type, name, attribute] = m as unknown as [string, string, string, string];
    const config = this.json(stack).resource?.[type]?.[name];
    if (!config) throw new Error(`${stack}: \${${expr}} names no resource of the stack`);
    const value = this.attribute(stack, type, name, config, attribute);
    if (value === undefined) throw new Error(`${stack}: cannot resolve \${${expr}} (attribute ${attribute} of ${type})`);
    return value;
  }

  private attribute(stack: string, type: string, name: string, config: Record<string, any>, attribute: string): string | undefined {
    const account = this.accountOf(stack);
    const region = () => this.regionOf(stack, config);
    const address = `${stack}/${type}.${name}`;
    const lit = (field: string): string | undefined => {
      const v = config[field];
      if (v === undefined) return undefined;
      return typeof v === "string" ? this.resolveText(stack, v) : String(v);
    };
    const byType: Record<string, Record<string, () => string | undefined>> = {
      aws_s3_bucket: { arn: () => `arn:aws:s3:::${lit("bucket")}`, id: () => lit("bucket"), bucket: () => lit("bucket") },
      aws_kms_key: { arn: () => `arn:aws:kms:${region()}:${account}:key/${uuid(address)}`, key_id: () => uuid(address), id: () => uuid(address) },
      aws_kms_alias: { arn: () => `arn:aws:kms:${region()}:${account}:${lit("name")}`, name: () => lit("name") },
      aws_dynamodb_table: { arn: () => `arn:aws:dynamodb:${region()}:${account}:table/${lit("name")}`, name: () => lit("name"), id: () => lit("name") },
      aws_iam_role: { arn: () => `arn:aws:iam::${account}:role${lit("path") ?? "/"}${lit("name")}`, name: () => lit("name"), id: () => lit("name") },
      aws_iam_policy: { arn: () => `arn:aws:iam::${account}:policy${lit("path") ?? "/"}${lit("name")}`, name: () => lit("name"), id: () => `arn:aws:iam::${account}:policy/${lit("name")}` },
      aws_iam_openid_connect_provider: { arn: () => `arn:aws:iam::${account}:oidc-provider/${lit("url")?.replace(/^https:\/\//, "")}` },
      aws_eks_cluster: { name: () => lit("name"), id: () => lit("name"), arn: () => `arn:aws:eks:${region()}:${account}:cluster/${lit("name")}` },
      aws_sns_topic: { arn: () => `arn:aws:sns:${region()}:${account}:${lit("name")}`, name: () => lit("name"), id: () => `arn:aws:sns:${region()}:${account}:${lit("name")}` },
      aws_cloudfront_distribution: {
        arn: () => `arn:aws:cloudfront::${account}:distribution/${distributionId(address)}`,
        id: () => distributionId(address),
      },
      aws_db_instance: {
        "master_user_secret[0].secret_arn": () => `arn:aws:secretsmanager:${region()}:${account}:secret:rds!db-${uuid(address)}-${suffix(address)}`,
        resource_id: () => `db-${hex(address, 26).toUpperCase()}`,
        identifier: () => lit("identifier"),
        arn: () => `arn:aws:rds:${region()}:${account}:db:${lit("identifier")}`,
      },
      aws_elasticache_replication_group: {
        arn: () => `arn:aws:elasticache:${region()}:${account}:replicationgroup:${lit("replication_group_id")}`,
        id: () => lit("replication_group_id"),
      },
      aws_elasticache_user: { arn: () => `arn:aws:elasticache:${region()}:${account}:user:${lit("user_id")}`, user_id: () => lit("user_id") },
      aws_cloudwatch_log_group: { arn: () => `arn:aws:logs:${region()}:${account}:log-group:${lit("name")}`, name: () => lit("name") },
      aws_backup_vault: { arn: () => `arn:aws:backup:${region()}:${account}:backup-vault:${lit("name")}`, name: () => lit("name") },
      aws_ecr_repository: { arn: () => `arn:aws:ecr:${region()}:${account}:repository/${lit("name")}`, name: () => lit("name") },
      aws_vpc: { id: () => `vpc-${hex(address, 17)}` },
      aws_security_group: { id: () => `sg-${hex(address, 17)}` },
      aws_secretsmanager_secret: { arn: () => `arn:aws:secretsmanager:${region()}:${account}:secret:${lit("name")}-${suffix(address)}` },
    };
    const known = byType[type]?.[attribute];
    if (known) return known();
    // Arguments written literally in the configuration resolve to themselves.
    return /^\w+$/.test(attribute) ? lit(attribute) : undefined;
  }

  private remoteOutput(stack: string, dataName: string, output: string): string {
    const remote = this.json(stack).data?.terraform_remote_state?.[dataName];
    const key = remote?.config?.key;
    if (typeof key !== "string") throw new Error(`${stack}: terraform_remote_state.${dataName} has no S3 key`);
    const producer = this.stackOfStateKey(key);
    const value = this.json(producer).output?.[output]?.value;
    if (typeof value !== "string") throw new Error(`${producer}: no output ${output} (read by ${stack})`);
    return this.resolveText(producer, value);
  }

  private stackOfStateKey(key: string): string {
    const m = /^([\w-]+)\/(\w+)\.tfstate$/.exec(key);
    if (!m || !this.app.stacks.has(`${m[1]}-${m[2]}`)) throw new Error(`no stack keeps its state at ${key}`);
    return `${m[1]}-${m[2]}`;
  }

  private json(stack: string): StackJson {
    const j = this.app.stacks.get(stack);
    if (!j) throw new Error(`no stack ${stack}`);
    return j;
  }

  private providers(stack: string): Array<Record<string, any>> {
    return (this.json(stack).provider?.aws ?? []) as Array<Record<string, any>>;
  }
}

function hex(seed: string, length: number): string {
  let out = "";
  for (let i = 0; out.length < length; i++) out += createHash("sha256").update(`${seed}#${i}`).digest("hex");
  return out.slice(0, length);
}

/** A UUID-shaped id (KMS key ids, RDS secret names) stable for one address. */
function uuid(seed: string): string {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Secrets Manager's six random characters after a secret's name. */
function suffix(seed: string): string {
  return hex(`${seed}/suffix`, 6).replace(/\d/g, (d) => "ABCDEFGHIJ"[Number(d)]!).replace(/^./, (c) => c.toUpperCase());
}

function distributionId(seed: string): string {
  return `E${hex(seed, 13).toUpperCase()}`;
}
