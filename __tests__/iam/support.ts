import { iamInventory, type IamInventory } from "../../tools/iam/inventory";
import { simulate, type Caller, type IamRequest } from "../../tools/iam/simulate";
import { synthesizedApp } from "../support/synthesized-app";
import { SHIPPED_ENVIRONMENTS } from "../support/fixtures";

/** What a scenario expects: allowed, or denied (explicitly or for want of an allow). */
export type Expected = "Allowed" | "Denied";

export interface Scenario {
  /** What the request is, in words (failures show it). */
  readonly what: string;
  readonly caller: Caller;
  readonly request: IamRequest;
  readonly expect: Expected;
}

const inventories = new Map<string, IamInventory>();

/** The IAM inventory of one shipped environment of the synthesized app (built once per test file). */
export function inventoryOf(environment: string): IamInventory {
  let inv = inventories.get(environment);
  if (!inv) {
    inv = iamInventory(synthesizedApp(), environment);
    inventories.set(environment, inv);
  }
  return inv;
}

export const ENVIRONMENTS = SHIPPED_ENVIRONMENTS;

/**
 * Runs every scenario through the IAM simulator and returns one line per
 * scenario whose decision is not the expected one: the role, the request, the
 * expected and the actual decision, and the statements that decided.
 */
export async function failuresOf(inventory: IamInventory, scenarios: readonly Scenario[]): Promise<string[]> {
  const failures: string[] = [];
  for (const s of scenarios) {
    const who = "role" in s.caller ? s.caller.role : "service" in s.caller ? s.caller.service : s.caller.federated;
    const ctx = s.request.context && Object.keys(s.request.context).length > 0 ? ` ${JSON.stringify(s.request.context)}` : "";
    let outcome;
    try {
      outcome = await simulate(inventory, s.caller, s.request);
    } catch (e) {
      failures.push(`${inventory.environment}: ${who}: ${s.what}: ${(e as Error).message}`);
      continue;
    }
    const actual = outcome.decision === "Allowed" ? "Allowed" : "Denied";
    if (actual !== s.expect) {
      failures.push(
        `${inventory.environment}: ${who}: ${s.what} (${s.request.action} on ${s.request.resource}${ctx}): expected ${s.expect}, got ${outcome.decision}, decided by ${outcome.decidedBy.join("; ")}`,
      );
    }
  }
  return failures;
}

/** Shorthands for building scenarios. */
export const allow = (what: string, caller: Caller, request: IamRequest): Scenario => ({ what, caller, request, expect: "Allowed" });
export const deny = (what: string, caller: Caller, request: IamRequest): Scenario => ({ what, caller, request, expect: "Denied" });

/** Facts about an environment that scenarios name: prefix, account, regions and the ARNs of its key resources. */
export function factsOf(inv: IamInventory) {
  const deploy = inv.roles.find((r) => r.name.endsWith("-ci-deploy"));
  if (!deploy) throw new Error(`${inv.environment}: no CI deploy role`);
  const prefix = deploy.name.slice(0, -"-ci-deploy".length);
  const account = inv.account;
  const stateBucket = inv.attributeAt("bootstrap/state-bucket/bucket");
  const stateKey = inv.attributeAt("bootstrap/state-key/key");
  const region = /^arn:aws:kms:([^:]+):/.exec(stateKey)![1]!;
  const drRegion = /^arn:aws:kms:([^:]+):/.exec(inv.attributeAt("data/keys/dr-replicas/key"))![1]!;
  const iamArn = (kind: string, name: string) => `arn:aws:iam::${account}:${kind}/${name}`;
  return {
    environment: inv.environment,
    prefix,
    account,
    region,
    drRegion,
    roleArn: (suffix: string) => iamArn("role", `${prefix}-${suffix}`),
    iamArn,
    deployRole: `${prefix}-ci-deploy`,
    planRole: `${prefix}-ci-plan`,
    stateBucket,
    stateBucketName: stateBucket.slice("arn:aws:s3:::".length),
    stateObject: (layer: string) => `${stateBucket}/${inv.environment}/${layer}.tfstate`,
    lockTable: inv.attributeAt("bootstrap/lock-table/table"),
    stateKey,
    stateKeyAlias: `arn:aws:kms:${region}:${account}:alias/${prefix}/tfstate`,
    githubOidcProvider: `arn:aws:iam::${account}:oidc-provider/token.actions.githubusercontent.com`,
    uploadsBucket: inv.attributeAt("data/buckets/uploads/bucket"),
    backupsBucket: inv.attributeAt("data/buckets/backups/bucket"),
    logsBucket: inv.attributeAt("data/buckets/logs/bucket"),
    bucketsKey: inv.attributeAt("data/keys/buckets/key"),
    databaseKey: inv.attributeAt("data/keys/database/key"),
    drReplicasKey: inv.attributeAt("data/keys/dr-replicas/key"),
    databaseSecret: inv.attributeAt("data/postgres/primary", "master_user_secret[0].secret_arn"),
    databaseInstance: inv.attributeAt("data/postgres/primary"),
    databaseResourceId: inv.attributeAt("data/postgres/primary", "resource_id"),
    cacheGroup: inv.attributeAt("data/cache/group"),
    cluster: inv.attributeAt("cluster/eks/cluster"),
    clusterName: inv.attributeAt("cluster/eks/cluster", "name"),
    ebsKey: inv.attributeAt("cluster/ebs-key/key"),
    secretsKey: inv.attributeAt("cluster/eks/secrets-key/key"),
    flowLogGroup: inv.attributeAt("network/flow-logs/log-group"),
    eksLogGroup: inv.attributeAt("cluster/eks/control-plane-logs"),
    vpc: `arn:aws:ec2:${region}:${account}:vpc/${inv.attributeAt("network/vpc/vpc", "id")}`,
    /** The CI runners' GitHub connection (bootstrap layer), as the cluster layer finds it by name. */
    runnerConnection: inv.resolver.resolveExpression(`${inv.environment}-cluster`, "data.aws_codestarconnections_connection.github-connection.arn"),
    runnerLogGroup: inv.attributeAt("cluster/ci-runner/logs"),
    /** A resource of the environment in another account (another tenant). */
    otherAccount: account === "999999999999" ? "888888888888" : "999999999999",
  };
}

export type Facts = ReturnType<typeof factsOf>;
