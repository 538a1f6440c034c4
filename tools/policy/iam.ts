import { blocks, list } from "./helpers";
import type { RuleContext, SynthResource } from "./types";

/** One IAM policy statement, normalized from JSON or an aws_iam_policy_document. */
export interface Statement {
  readonly sid?: string;
  readonly effect: "Allow" | "Deny";
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  /** `"*"` for everyone; otherwise `<type>:<identifier>` (AWS:arn..., Service:..., Federated:...). */
  readonly principals: readonly string[];
  readonly hasCondition: boolean;
  /** Condition keys and their values, e.g. `StringEquals token.actions.githubusercontent.com:sub` -> [...]. */
  readonly conditions: ReadonlyArray<{ readonly test: string; readonly variable: string; readonly values: readonly string[] }>;
}

export type PolicyRead = { readonly statements: readonly Statement[] } | { readonly unreadable: string };

/** The policy attributes of each resource type that carries IAM or resource policies. */
export const POLICY_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  aws_iam_policy: ["policy"],
  aws_iam_role_policy: ["policy"],
  aws_iam_user_policy: ["policy"],
  aws_iam_group_policy: ["policy"],
  aws_iam_role: ["inline_policy"],
  aws_kms_key: ["policy"],
  aws_kms_key_policy: ["policy"],
  aws_s3_bucket_policy: ["policy"],
  aws_sns_topic: ["policy"],
  aws_sns_topic_policy: ["policy"],
  aws_sqs_queue_policy: ["policy"],
  aws_ecr_repository_policy: ["policy"],
  aws_backup_vault_policy: ["policy"],
  aws_secretsmanager_secret_policy: ["policy"],
  aws_cloudwatch_log_resource_policy: ["policy_document"],
};

/** Resource-based policies (they name principals), as opposed to identity policies. */
export const RESOURCE_POLICY_TYPES = [
  "aws_kms_key", "aws_kms_key_policy", "aws_s3_bucket_policy", "aws_sns_topic", "aws_sns_topic_policy", "aws_sqs_queue_policy",
  "aws_ecr_repository_policy", "aws_backup_vault_policy", "aws_secretsmanager_secret_policy", "aws_cloudwatch_log_resource_policy",
];

const strings = (v: unknown): string[] => list(v).map((x) => (typeof x === "string" ? x : JSON.stringify(x)));

function principalsOfJson(p: unknown): string[] {
  if (p === undefined) return [];
  if (p === "*") return ["*"];
  if (p && typeof p === "object") {
    return Object.entries(p as Record<string, unknown>).flatMap(([type, ids]) => strings(ids).map((id) => (type === "AWS" && id === "*" ? "*" : `${type}:${id}`)));
  }
  return [String(p)];
}

function fromJsonStatement(s: any): Statement {
  const conditions = Object.entries<Record<string, unknown>>(s.Condition ?? {}).flatMap(([test, byKey]) =>
    Object.entries(byKey ?? {}).map(([variable, values]) => ({ test, variable, values: strings(values) })),
  );
  return {
    ...(s.Sid ? { sid: String(s.Sid) } : {}),
    effect: s.Effect === "Deny" ? "Deny" : "Allow",
    actions: strings(s.Action),
    notActions: strings(s.NotAction),
    resources: strings(s.Resource),
    notResources: strings(s.NotResource),
    principals: principalsOfJson(s.Principal),
    hasCondition: conditions.length > 0,
    conditions,
  };
}

function fromDocumentStatement(s: any): Statement {
  const principals = blocks(s.principals).flatMap((p) => strings(p.identifiers).map((id) => (p.type === "*" || (p.type === "AWS" && id === "*") ? "*" : `${p.type}:${id}`)));
  const conditions = blocks(s.condition).map((c) => ({ test: String(c.test), variable: String(c.variable), values: strings(c.values) }));
  return {
    ...(s.sid ? { sid: String(s.sid) } : {}),
    effect: s.effect === "Deny" ? "Deny" : "Allow",
    actions: strings(s.actions),
    notActions: strings(s.not_actions),
    resources: strings(s.resources),
    notResources: strings(s.not_resources),
    principals,
    hasCondition: conditions.length > 0,
    conditions,
  };
}

/**
 * Parses the argument of cdktf's `${jsonencode(...)}`: an HCL object/tuple
 * expression whose keys are quoted, `=` or `:` separated. References and
 * function calls become `${...}` strings (unknown until apply).
 */
export function parseHclValue(source: string): unknown {
  let i = 0;
  const ws = () => {
    while (i < source.length && /[\s,]/.test(source[i]!)) i++;
  };
  const str = (): string => {
    // A quoted HCL string; `${...}` interpolations are kept verbatim.
    let out = "";
    i++;
    while (i < source.length && source[i] !== '"') {
      if (source[i] === "\\") {
        const e = source[i + 1]!;
        if (e === "u") {
          out += String.fromCharCode(parseInt(source.slice(i + 2, i + 6), 16));
          i += 6;
          continue;
        }
        out += ({ n: "\n", t: "\t", r: "\r" } as Record<string, string>)[e] ?? e;
        i += 2;
      } else if (source.startsWith("${", i)) {
        const end = skipBalanced(i + 1);
        out += source.slice(i, end);
        i = end;
      } else out += source[i++];
    }
    if (i >= source.length) throw new Error("unterminated string");
    i++;
    return out;
  };
  const skipBalanced = (at: number): number => {
    // at points to an opening bracket; returns the index after its match.
    let depth = 0;
    let j = at;
    do {
      const c = source[j]!;
      if (c === '"') {
        j++;
        while (j < source.length && source[j] !== '"') j += source[j] === "\\" ? 2 : 1;
      } else if ("([{".includes(c)) depth++;
      else if (")]}".includes(c)) depth--;
      j++;
    } while (depth > 0 && j < source.length);
    return j;
  };
  const value = (): unknown => {
    ws();
    const c = source[i];
    if (c === "{") {
      i++;
      const obj: Record<string, unknown> = {};
      for (ws(); source[i] !== "}"; ws()) {
        if (i >= source.length) throw new Error("unterminated object");
        let key: string;
        if (source[i] === '"') key = str();
        else {
          const ident = /^[A-Za-z_][\w-]*/.exec(source.slice(i));
          if (!ident) throw new Error(`unexpected ${source.slice(i, i + 20)}`);
          key = ident[0];
          i += key.length;
        }
        while (/\s/.test(source[i] ?? "")) i++;
        if (source[i] !== "=" && source[i] !== ":") throw new Error(`expected = after key ${key}`);
        i++;
        obj[key] = value();
      }
      i++;
      return obj;
    }
    if (c === "[") {
      i++;
      const arr: unknown[] = [];
      for (ws(); source[i] !== "]"; ws()) {
        if (i >= source.length) throw new Error("unterminated tuple");
        arr.push(value());
      }
      i++;
      return arr;
    }
    if (c === '"') return str();
    const lit = /^(true|false|null|-?\d+(\.\d+)?)(?=[\s,}\]]|$)/.exec(source.slice(i));
    if (lit) {
      i += lit[0].length;
      return JSON.parse(lit[0]);
    }
    // A reference or a function call: up to the next separator at depth 0.
    const start = i;
    while (i < source.length && !/[\s,}\]]/.test(source[i]!)) i = "([{".includes(source[i]!) ? skipBalanced(i) : i + 1;
    return `\${${source.slice(start, i)}}`;
  };
  const v = value();
  ws();
  if (i < source.length) throw new Error(`unexpected ${source.slice(i, i + 20)}`);
  return v;
}

/** The statements of a policy document given as JSON text, a `${jsonencode(...)}` or a policy document's `.json`. */
export function readPolicy(value: unknown, context: RuleContext, seen = new Set<SynthResource>()): PolicyRead {
  if (value === undefined || value === null || value === "") return { statements: [] };
  if (typeof value === "object") return statementsOf(value);
  const text = String(value).trim();
  const doc = /^\$\{(data\.aws_iam_policy_document\.[A-Za-z0-9_-]+)\.(json|minified_json)\}$/.exec(text);
  if (doc) {
    const source = context.resolve(text);
    if (!source || seen.has(source)) return { unreadable: `${doc[1]} is not in this stack` };
    seen.add(source);
    const own = blocks(source.config.statement).map(fromDocumentStatement);
    const merged: Statement[] = [...own];
    for (const ref of [...list(source.config.source_policy_documents), ...list(source.config.override_policy_documents)]) {
      const r = readPolicy(ref, context, seen);
      if ("unreadable" in r) return r;
      merged.push(...r.statements);
    }
    return { statements: merged };
  }
  if (text.startsWith("${jsonencode(") && text.endsWith(")}")) {
    try {
      return statementsOf(parseHclValue(text.slice("${jsonencode(".length, -2)));
    } catch (e) {
      return { unreadable: `cannot read the jsonencode expression (${(e as Error).message})` };
    }
  }
  if (text.startsWith("{")) {
    try {
      return statementsOf(JSON.parse(text));
    } catch {
      return { unreadable: "policy text is not valid JSON" };
    }
  }
  return { unreadable: `the policy is an expression (${text.length > 60 ? `${text.slice(0, 57)}...` : text})` };
}

function statementsOf(doc: any): PolicyRead {
  if (!doc || typeof doc !== "object" || doc.Statement === undefined) return { unreadable: "no Statement in the policy document" };
  return { statements: list(doc.Statement).map(fromJsonStatement) };
}

/** Every policy a resource carries, with a label saying where it sits. */
export function policiesOf(resource: SynthResource, context: RuleContext): Array<{ where: string; read: PolicyRead }> {
  const attributes = POLICY_ATTRIBUTES[resource.type] ?? [];
  return attributes.flatMap((attribute) => {
    if (attribute === "inline_policy") {
      return blocks(resource.config.inline_policy).map((p, i) => ({ where: `inline_policy ${p.name ?? i}`, read: readPolicy(p.policy, context) }));
    }
    const value = resource.config[attribute];
    return value === undefined ? [] : [{ where: attribute, read: readPolicy(value, context) }];
  });
}

/** `s3:GetObject` matches `s3:*`, `*` and `s3:Get*`; case-insensitive like IAM. */
export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`, "i");
  return re.test(action);
}
