import type { FakeContext } from "./fakes";
import { stableHex } from "./fakes";
import { isUnknown, type ObjectValue, UNKNOWN, type Value } from "./values";

/**
 * What the real providers know that a schema cannot say: values they compute
 * at plan time (CustomizeDiff), at apply, or read from the account. Each entry
 * names the upstream behaviour it copies.
 */

const isStringList = (v: Value): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");

/** Plan-time values, applied to the planned state after computed attributes were marked unknown. */
export const PLAN_HOOKS: Record<string, (planned: ObjectValue, prior: ObjectValue | null) => void> = {
  // terraform-provider-aws internal/service/acm/certificate.go, CustomizeDiff: with DNS validation
  // domain_validation_options is known at plan as one element per domain (domain_name known,
  // the record's name, type and value unknown until the certificate exists).
  aws_acm_certificate: (planned, prior) => {
    if (planned.validation_method !== "DNS" || typeof planned.domain_name !== "string") return;
    const sans = planned.subject_alternative_names ?? null;
    if (sans !== null && !isStringList(sans)) return;
    if (prior && prior.domain_name === planned.domain_name && JSON.stringify(prior.subject_alternative_names ?? null) === JSON.stringify(sans)) {
      planned.domain_validation_options = prior.domain_validation_options ?? null;
      return;
    }
    const domains = [...new Set([planned.domain_name, ...(sans ?? [])])].sort();
    planned.domain_validation_options = domains.map((d) => ({ domain_name: d, resource_record_name: UNKNOWN, resource_record_type: UNKNOWN, resource_record_value: UNKNOWN }));
  },
};

/** Apply-time values with a shape the generic fakes cannot give. */
export const APPLY_HOOKS: Record<string, (state: ObjectValue, ctx: FakeContext) => void> = {
  aws_acm_certificate: (state, ctx) => {
    if (!Array.isArray(state.domain_validation_options)) return;
    for (const o of state.domain_validation_options as ObjectValue[]) {
      const h = stableHex(ctx, `dvo.${String(o.domain_name)}`);
      o.resource_record_name = `_${h}.${String(o.domain_name)}.`;
      o.resource_record_type = "CNAME";
      o.resource_record_value = `_${h}.acm-validations.aws.`;
    }
  },
};

/** Data sources that read the account: answered as a new account in the configured region would. */
export const DATA_HOOKS: Record<string, (state: ObjectValue, ctx: FakeContext) => void> = {
  aws_availability_zones: (s, ctx) => {
    s.names = ["a", "b", "c"].map((z) => `${ctx.region}${z}`);
    s.zone_ids = ["1", "2", "3"].map((n) => `${ctx.region.replace(/-/g, "").slice(0, 4)}-az${n}`);
  },
  aws_caller_identity: (s, ctx) => {
    s.account_id = ctx.accountId;
    s.arn = `arn:aws:sts::${ctx.accountId}:assumed-role/rehearsal/rehearsal`;
    s.user_id = "AROAREHEARSAL:rehearsal";
  },
  aws_region: (s, ctx) => {
    if (s.name === null || isUnknown(s.name)) s.name = ctx.region;
    if ("region" in s && (s.region === null || isUnknown(s.region))) s.region = ctx.region;
  },
  aws_partition: (s) => {
    s.partition = "aws";
    s.dns_suffix = "amazonaws.com";
  },
  aws_eks_addon_version: (s) => {
    if (s.version === null || isUnknown(s.version)) s.version = "v1.0.0-eksbuild.1";
  },
  // The CI runners' GitHub connection, looked up by name (stacks/cluster-stack.ts):
  // terraform-provider-aws internal/service/codestarconnections/connection_data_source.go reads the
  // connection by name; the rehearsal answers as after the runbook's handshake (status AVAILABLE), so
  // the cluster stack's postcondition holds, with an ARN of the shape CodeConnections gives.
  aws_codestarconnections_connection: (s, ctx) => {
    const h = stableHex(ctx, `connection.${String(s.name)}`, 32);
    s.arn = `arn:aws:codeconnections:${ctx.region}:${ctx.accountId}:connection/${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
    s.id = s.arn;
    s.connection_status = "AVAILABLE";
    s.provider_type = "GitHub";
  },
  aws_iam_policy_document: (s) => {
    s.json = JSON.stringify(policyDocument(s));
    s.minified_json = s.json;
  },
  // The zone looked up by name in the network layer, read by the edge layer:
  // zone_id is Optional+Computed (hashicorp/terraform-provider-aws internal/service/route53/zone_data_source.go:
  // "zone_id": {Type: schema.TypeString, Optional: true, Computed: true}), so the schema alone leaves it
  // null when the lookup is by name; a null output is dropped from state and the edge layer's
  // remote-state read of it fails. The real provider sets it from the zone it finds.
  aws_route53_zone: (s, ctx) => {
    const id = `Z${stableHex(ctx, "zone_id", 20).toUpperCase()}`;
    if (s.zone_id === null || isUnknown(s.zone_id)) s.zone_id = id;
    if (s.id === null || isUnknown(s.id)) s.id = id;
  },
};

/** The policy an aws_iam_policy_document describes (the provider's own rendering, simplified). */
function policyDocument(s: ObjectValue): Record<string, unknown> {
  const statements = Array.isArray(s.statement) ? (s.statement as ObjectValue[]) : [];
  const principals = (list: Value) => {
    if (!Array.isArray(list) || list.length === 0) return undefined;
    const out: Record<string, string[]> = {};
    for (const p of list as ObjectValue[]) out[String(p.type)] = [...((p.identifiers as string[]) ?? [])];
    return out;
  };
  return {
    Version: "2012-10-17",
    Statement: statements.map((st) => {
      const conditions: Record<string, Record<string, string[]>> = {};
      for (const c of (Array.isArray(st.condition) ? st.condition : []) as ObjectValue[]) {
        const test = String(c.test);
        conditions[test] = { ...(conditions[test] ?? {}), [String(c.variable)]: [...((c.values as string[]) ?? [])] };
      }
      const out: Record<string, unknown> = { Effect: typeof st.effect === "string" ? st.effect : "Allow" };
      if (typeof st.sid === "string" && st.sid) out.Sid = st.sid;
      if (isStringList(st.actions ?? null) && (st.actions as string[]).length) out.Action = st.actions;
      if (isStringList(st.not_actions ?? null) && (st.not_actions as string[]).length) out.NotAction = st.not_actions;
      if (isStringList(st.resources ?? null) && (st.resources as string[]).length) out.Resource = st.resources;
      if (isStringList(st.not_resources ?? null) && (st.not_resources as string[]).length) out.NotResource = st.not_resources;
      const p = principals(st.principals ?? null);
      if (p) out.Principal = p;
      const np = principals(st.not_principals ?? null);
      if (np) out.NotPrincipal = np;
      if (Object.keys(conditions).length) out.Condition = conditions;
      return out;
    }),
  };
}
