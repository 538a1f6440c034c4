import { Testing } from "cdktf";
import { AppStack } from "../../stacks/app-stack";
import { buildApp } from "../../tools/synth/app";
import { evaluate } from "../../tools/policy/engine";
import { RULES } from "../../tools/policy/rules";
import { SUPPRESSIONS } from "../../tools/policy/suppressions";
import { NO_RULE_NEEDED } from "../../tools/policy/no-rule-needed";
import { appStackFakes } from "../support/app-fakes";
import { shippedEnvironment, SHIPPED_ENVIRONMENTS, testApp, type SynthJson } from "../support/fixtures";
import { appOfJson } from "../support/stand-in-app";
import { synthesizedApp, type SynthesizedApp, type SynthResource } from "../support/synthesized-app";

/**
 * App baselines: each app service's role names only its own resources (the
 * database secret and its key through Secrets Manager, the cache as the app
 * user, the uploads bucket and its key through S3 for the services with
 * uploads access), with no "*" resource; every Helm release pins an exact
 * chart version; app charts come from the account's ECR with credentials read
 * at plan time; every ECR repository is immutable, scanned on push,
 * KMS-encrypted with a customer key and has a lifecycle policy.
 *
 * The checks run over the whole app (`npm run synth`) and, until the
 * integrator wires the app layer into stacks/environment.ts, also over every
 * shipped environment's AppStack built with stand-ins for the data, cluster
 * and edge layers, where the exact ARNs are known.
 */

const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const APP_NAMESPACE = "upskill";
const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The actions an app role may have, by what they reach. */
const COMMON_ACTIONS = ["rds-db:connect", "elasticache:Connect"];
const UPLOADS_ACTIONS = ["s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject", "kms:Decrypt", "kms:GenerateDataKey"];

interface AppRole {
  readonly role: SynthResource;
  readonly service: string;
  readonly statements: any[];
  readonly policy: SynthResource;
}

/** The database dump job's service account: not an app service, held to its own check below. */
const DUMP_SERVICE_ACCOUNT = "database-dump";

/** Roles trusted by service accounts of the app's namespace, with their inline policy (the app's services; `dumpRoles` for the dump job). */
function appRoles(app: SynthesizedApp, dump = false): AppRole[] {
  return app.ofType("aws_iam_role").flatMap((role) => {
    const trust = JSON.parse(role.config.assume_role_policy);
    const conditions = asList<any>(trust.Statement).map((s) => s.Condition?.StringEquals ?? {});
    const sa = conditions.find((c) => c["aws:RequestTag/kubernetes-namespace"] === APP_NAMESPACE)?.["aws:RequestTag/kubernetes-service-account"];
    // The provisioning job's (db-provisioner) and the dump job's (database-dump) service accounts are not app services.
    if (!sa || (sa === DUMP_SERVICE_ACCOUNT) !== dump || (!dump && !sa.startsWith("upskill-"))) return [];
    const policy = app.ofType("aws_iam_role_policy").find((p) => p.stack === role.stack && p.config.role === `\${aws_iam_role.${role.name}.name}`);
    if (!policy) return [{ role, service: sa.replace(/^upskill-/, ""), statements: [], policy: role }];
    return [{ role, service: sa.replace(/^upskill-/, ""), statements: asList(JSON.parse(policy.config.policy).Statement), policy }];
  });
}

/** Whether a service has uploads access in its environment's config (stack `<env>-app`). */
function databaseAccess(stack: string, service: string): string {
  const env = shippedEnvironment(stack.replace(/-app$/, ""));
  return env.app.services.find((s) => s.name === service)?.database ?? "none";
}

function hasUploadsAccess(stack: string, service: string): boolean {
  const env = shippedEnvironment(stack.replace(/-app$/, ""));
  return env.app.services.find((s) => s.name === service)?.uploadsAccess ?? false;
}

/**
 * Structural checks, valid whatever the ARNs resolve to: no "*" resource, only
 * the app's actions, S3 only for services with uploads access, every KMS use
 * bound to one service, and in each stack one secret and one uploads bucket
 * shared by all its roles.
 */
function roleOffenders(app: SynthesizedApp): string[] {
  const roles = appRoles(app);
  const out: string[] = [];
  const byStack = new Map<string, AppRole[]>();
  for (const r of roles) byStack.set(r.role.stack, [...(byStack.get(r.role.stack) ?? []), r]);
  for (const r of roles) {
    const uploads = hasUploadsAccess(r.role.stack, r.service);
    if (r.statements.length === 0) out.push(`${r.role.address}: no inline policy`);
    for (const s of r.statements) {
      const actions = asList<string>(s.Action);
      const resources = asList<string>(s.Resource);
      const where = `${r.policy.address} (${r.service}) statement ${s.Sid ?? "?"}`;
      if (s.Effect !== "Allow") continue;
      if (resources.some((x) => x === "*" || (x.includes("*") && !(s.Sid === "ReadWriteUploads" && x.endsWith("/*"))))) out.push(`${where}: wildcard resource ${JSON.stringify(resources)}`);
      const allowed = uploads ? [...COMMON_ACTIONS, ...UPLOADS_ACTIONS] : COMMON_ACTIONS;
      for (const a of actions.filter((x) => !allowed.includes(x))) out.push(`${where}: action ${a} is not one the app needs${!uploads && a.startsWith("s3:") ? " (no uploads access in config)" : ""}`);
      if (actions.some((a) => a.startsWith("kms:")) && !s.Condition?.StringEquals?.["kms:ViaService"]) out.push(`${where}: KMS use not bound to a service (kms:ViaService)`);
    }
  }
  for (const [stack, list] of byStack) {
    const distinct = (pred: (a: string) => boolean) =>
      new Set(list.flatMap((r) => r.statements.filter((s) => asList<string>(s.Action).some(pred)).flatMap((s) => asList<string>(s.Resource).map((x) => x.replace(/\/\*$/, "")))));
    const secrets = distinct((a) => a.startsWith("secretsmanager:"));
    const buckets = distinct((a) => a.startsWith("s3:"));
    if (secrets.size !== 0) out.push(`${stack}: app roles read ${secrets.size} secrets (${[...secrets].join(", ")}); want none (the provisioning job alone reads the master user secret)`);
    if (buckets.size > 1) out.push(`${stack}: app roles reach ${buckets.size} different buckets (${[...buckets].join(", ")}); want the uploads bucket only`);
  }
  return out;
}

/** Exact check for the stand-in stacks, whose data-layer ARNs are known: each role names exactly its own resources. */
function exactRoleOffenders(app: SynthesizedApp): string[] {
  return appRoles(app).flatMap((r) => {
    const env = shippedEnvironment(r.role.stack.replace(/-app$/, ""));
    const { data } = appStackFakes(env.name, env.region, env.accountId);
    const own = [data.cache.replicationGroupArn, data.cache.appUserArn];
    if (databaseAccess(r.role.stack, r.service) !== "none") {
      for (const id of [data.postgres.resourceId, ...data.postgres.replicaResourceIds]) own.push(`arn:aws:rds-db:${env.region}:${env.accountId}:dbuser:${id}/upskill_${r.service}`);
    }
    if (hasUploadsAccess(r.role.stack, r.service)) own.push(data.buckets.uploads.arn, `${data.buckets.uploads.arn}/*`, data.bucketsKeyArn);
    const named = [...new Set(r.statements.flatMap((s) => asList<string>(s.Resource)))];
    const foreign = named.filter((x) => !own.includes(x));
    const missing = own.filter((x) => !named.includes(x));
    return [
      ...foreign.map((x) => `${r.policy.address} (${r.service}): names ${x}, not one of its own resources`),
      ...missing.map((x) => `${r.policy.address} (${r.service}): lacks ${x}`),
    ];
  });
}

function releaseOffenders(app: SynthesizedApp): string[] {
  return app.ofType("helm_release").flatMap((r) => {
    const c = r.config;
    const out: string[] = [];
    if (c.namespace === APP_NAMESPACE) {
      // The app's chart is the repository's, copied beside the stack: nothing to download at plan time.
      if (c.repository !== undefined) out.push(`${r.address}: app chart from the repository ${c.repository}; install charts/upskill-service from its copy beside the stack`);
      if (c.repository_username !== undefined || c.repository_password !== undefined) out.push(`${r.address}: sets registry credentials`);
      if (c.version !== undefined) out.push(`${r.address}: sets version ${JSON.stringify(c.version)}; a local chart is installed at its Chart.yaml version`);
      if (typeof c.chart !== "string" || !/^assets\/[^/]+\/[0-9A-F]+$/.test(c.chart)) out.push(`${r.address}: chart ${c.chart} is not a chart copied beside the stack (assets/<id>/<hash>)`);
    } else if (typeof c.version !== "string" || !SEMVER.test(c.version)) {
      out.push(`${r.address}: chart version ${JSON.stringify(c.version)} is not pinned to an exact version`);
    }
    return out;
  });
}

function repositoryOffenders(app: SynthesizedApp): string[] {
  const policies = app.ofType("aws_ecr_lifecycle_policy");
  return app.ofType("aws_ecr_repository").flatMap((r) => {
    const c = r.config;
    const encryption = asList<any>(c.encryption_configuration)[0];
    const problems = [
      ...(c.image_tag_mutability === "IMMUTABLE" ? [] : [`image_tag_mutability ${c.image_tag_mutability ?? "MUTABLE (the default)"}`]),
      ...(asList<any>(c.image_scanning_configuration)[0]?.scan_on_push === true ? [] : ["no scan on push"]),
      ...(encryption?.encryption_type === "KMS" && encryption.kms_key ? [] : ["not encrypted with a customer-managed KMS key"]),
      ...(c.force_delete ? ["force_delete"] : []),
      ...(policies.some((p) => p.stack === r.stack && p.config.repository === `\${aws_ecr_repository.${r.name}.name}`) ? [] : ["no lifecycle policy"]),
    ];
    return problems.map((p) => `${r.address}: ${p}`);
  });
}

/** Every shipped environment's app stack, with stand-ins for the layers it reads. */
function appFixtureApp(): SynthesizedApp {
  const stacks = new Map<string, SynthJson>();
  for (const name of SHIPPED_ENVIRONMENTS) {
    const environment = shippedEnvironment(name);
    const stack = new AppStack(testApp(), { environment, ...appStackFakes(name, environment.region, environment.accountId) });
    stacks.set(stack.node.id, JSON.parse(Testing.synth(stack)));
  }
  return appOfJson(stacks);
}

const apps: [string, () => SynthesizedApp][] = [
  ["the whole app", synthesizedApp],
  ["the app stacks", appFixtureApp],
];

describe.each(apps)("policy: app (%s)", (_label, load) => {
  const app = load();

  test("each app role has no '*' resource, only the app's actions, S3 only with uploads access, KMS only through a service, one secret and one bucket per environment", () => {
    expect(roleOffenders(app)).toEqual([]);
  });

  test("every add-on release pins an exact chart version; the app's releases install the repository's chart from beside the stack, no registry, no version", () => {
    expect(releaseOffenders(app)).toEqual([]);
  });

  test("every ECR repository is immutable, scanned on push, KMS-encrypted with a customer key, never force-deleted, with a lifecycle policy", () => {
    expect(repositoryOffenders(app)).toEqual([]);
  });
});

describe("policy: app stacks against the baselines", () => {
  const app = appFixtureApp();

  test("each role names exactly its own resources", () => {
    expect(exactRoleOffenders(app)).toEqual([]);
  });

  test("no baseline rule fails or warns, and every resource type has a policy decision", () => {
    const view = buildApp(app.stacks as any);
    const verdicts = evaluate(view, RULES, SUPPRESSIONS);
    expect(verdicts.filter((v) => v.status === "fail" || v.status === "warn").map((v) => `${v.address}: ${v.rule}: ${v.message}`)).toEqual([]);
    const checked = new Set(RULES.flatMap((r) => r.appliesTo));
    expect([...new Set(view.resources.map((r) => r.type))].filter((t) => !checked.has(t) && !(t in NO_RULE_NEEDED))).toEqual([]);
  });
});

describe("policy: the database dump job (whole app)", () => {
  const app = synthesizedApp();
  test("each environment with dumps has one dump role: log in as the dump role, put under postgres/ of the backups bucket, KMS through S3, nothing else", () => {
    const roles = appRoles(app, true);
    const withDumps = SHIPPED_ENVIRONMENTS.filter((e) => shippedEnvironment(e).data.postgres.dumps);
    expect(roles.map((r) => r.role.stack).sort()).toEqual(withDumps.map((e) => `${e}-app`).sort());
    for (const r of roles) {
      const env = shippedEnvironment(r.role.stack.replace(/-app$/, ""));
      const bySid = Object.fromEntries(r.statements.map((s) => [s.Sid, s]));
      expect(Object.keys(bySid).sort()).toEqual(["ConnectAsDumpRole", "EncryptDumpsThroughS3", "PutDumps"]);
      expect(r.statements.every((s) => s.Effect === "Allow")).toBe(true);
      expect(bySid.PutDumps.Action).toEqual(["s3:PutObject"]);
      expect(asList<string>(bySid.PutDumps.Resource)).toEqual([expect.stringMatching(/backups_bucket_[0-9A-F]+arn}\/postgres\/\*$/)]);
      expect(bySid.ConnectAsDumpRole.Action).toEqual(["rds-db:connect"]);
      expect(asList<string>(bySid.ConnectAsDumpRole.Resource)).toEqual([expect.stringMatching(new RegExp(`^arn:aws:rds-db:${env.region}:${env.accountId}:dbuser:.+/${env.data.postgres.dumps!.roleName}$`))]);
      expect(bySid.EncryptDumpsThroughS3.Condition.StringEquals["kms:ViaService"]).toBe(`s3.${env.region}.amazonaws.com`);
    }
  });
});

describe("policy: app checks see what they check", () => {
  test("the stand-in app holds each environment's roles, releases and repositories", () => {
    const app = appFixtureApp();
    const perEnv = (env: string) => shippedEnvironment(env).app.services.length;
    const services = SHIPPED_ENVIRONMENTS.reduce((n, e) => n + perEnv(e), 0);
    expect(appRoles(app)).toHaveLength(services);
    expect(app.ofType("helm_release")).toHaveLength(services);
    expect(app.ofType("aws_ecr_repository")).toHaveLength(services);
  });

  test("each check names the offending resource", () => {
    const broken = appFixtureApp();
    const web = appRoles(broken).find((r) => r.role.stack === "prod-app" && r.service === "web")!;
    const doc = JSON.parse(web.policy.config.policy);
    doc.Statement.push({ Sid: "Extra", Effect: "Allow", Action: ["s3:GetObject"], Resource: "*" });
    doc.Statement.push({ Sid: "UnboundKey", Effect: "Allow", Action: ["rds-db:connect", "kms:Decrypt"], Resource: doc.Statement[0].Resource });
    web.policy.config.policy = JSON.stringify(doc);
    const release = broken.ofType("helm_release").find((r) => r.stack === "dev-app")!;
    release.config.version = "^1.0.0";
    release.config.repository = "oci://111111111111.dkr.ecr.eu-west-1.amazonaws.com/upskill-dev/charts";
    release.config.repository_password = "hunter2";
    const repo = broken.ofType("aws_ecr_repository").find((r) => r.stack === "staging-app")!;
    repo.config.image_tag_mutability = "MUTABLE";
    repo.config.encryption_configuration = [{ encryption_type: "AES256" }];

    const roleProblems = roleOffenders(broken);
    expect(roleProblems).toEqual(
      expect.arrayContaining([
        `${web.policy.address} (web) statement Extra: wildcard resource ["*"]`,
        `${web.policy.address} (web) statement Extra: action s3:GetObject is not one the app needs (no uploads access in config)`,
        `${web.policy.address} (web) statement UnboundKey: KMS use not bound to a service (kms:ViaService)`,
      ]),
    );
    expect(exactRoleOffenders(broken)).toEqual([`${web.policy.address} (web): names *, not one of its own resources`]);
    expect(releaseOffenders(broken)).toEqual([
      `${release.address}: app chart from the repository oci://111111111111.dkr.ecr.eu-west-1.amazonaws.com/upskill-dev/charts; install charts/upskill-service from its copy beside the stack`,
      `${release.address}: sets registry credentials`,
      `${release.address}: sets version "^1.0.0"; a local chart is installed at its Chart.yaml version`,
    ]);
    expect(repositoryOffenders(broken)).toEqual([`${repo.address}: image_tag_mutability MUTABLE`, `${repo.address}: not encrypted with a customer-managed KMS key`]);
  });
});
