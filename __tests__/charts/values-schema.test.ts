import * as fs from "node:fs";
import * as path from "node:path";
import Ajv, { type ErrorObject } from "ajv";
import { parse } from "yaml";
import { mergeValues, type HelmValues } from "../../modules/helm-addon/values";
import { localChartReleases } from "../../tools/chart-values/extract";
import { REPO_ROOT, shippedEnvironment, SHIPPED_ENVIRONMENTS } from "../support/fixtures";

/**
 * The chart's values.schema.json judged by a JSON Schema validator (ajv,
 * draft-07 as Helm reads it) against what Helm will really get: the values of
 * every app release of every shipped environment as synthesized (the values
 * files merged with the computed values, exactly as the app stack merges them),
 * and each helm-values file on the chart's defaults. Helm validates the
 * coalesced values (chart defaults under the release's), so these tests do too.
 */
const CHART = path.join(REPO_ROOT, "charts", "upskill-service");
const schema = JSON.parse(fs.readFileSync(path.join(CHART, "values.schema.json"), "utf8"));
const defaults = parse(fs.readFileSync(path.join(CHART, "values.yaml"), "utf8")) as HelmValues;
const validate = new Ajv({ allErrors: true, strict: true, strictRequired: false }).compile(schema);
const VALUES_DIR = path.join(REPO_ROOT, "helm-values");

/** Problems as `<path>: <message>`, none when the values pass. */
function problems(values: unknown): string[] {
  return validate(values) ? [] : (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || "/"}: ${e.message}${e.params && "additionalProperty" in e.params ? ` (${e.params.additionalProperty})` : ""}`);
}
const onDefaults = (...layers: HelmValues[]) => mergeValues(defaults, ...layers);
const yamlFile = (file: string) => parse(fs.readFileSync(file, "utf8")) as HelmValues;

describe("values.schema.json", () => {
  test("is a draft-07 schema that ajv compiles in strict mode, refusing unknown top-level keys", () => {
    expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(schema.additionalProperties).toBe(false);
  });

  test("every object the chart owns refuses unknown keys (only pass-through Kubernetes objects are open)", () => {
    const OPEN = ["/properties/resources", "/properties/affinity", "/properties/tolerations/items", "/properties/topologySpreadConstraints/items"];
    const open: string[] = [];
    const walk = (s: any, at: string) => {
      if (!s || typeof s !== "object") return;
      if (s.type === "object" && s.additionalProperties === undefined && !OPEN.includes(at)) open.push(at);
      for (const [k, v] of Object.entries(s)) if (k !== "not" && k !== "if") walk(v, `${at}/${k}`);
    };
    walk(schema, "");
    expect(open).toEqual([]);
  });

  test("the chart's own defaults pass", () => {
    expect(problems(defaults)).toEqual([]);
  });
});

describe("the app releases' values as synthesized pass the schema", () => {
  const releases = localChartReleases(path.join(process.env.UPSKILL_TEST_SYNTH_DIR!, "manifest.json"));

  test("every shipped environment's app stack has one release of upskill-service per service", () => {
    for (const env of SHIPPED_ENVIRONMENTS) {
      const ofEnv = releases.filter((r) => r.stack === `${env}-app`);
      expect(ofEnv.map((r) => [r.release, r.chartName]).sort()).toEqual(shippedEnvironment(env).app.services.map((s) => [`upskill-${s.name}`, "upskill-service"]).sort());
    }
  });

  test.each(SHIPPED_ENVIRONMENTS.flatMap((env) => shippedEnvironment(env).app.services.map((s) => [env, s.name])))("%s %s: values files + computed values", (env, service) => {
    const r = releases.find((x) => x.stack === `${env}-app` && x.release === `upskill-${service}`)!;
    expect(problems(onDefaults(r.values))).toEqual([]);
  });
});

describe("each helm-values file of the app passes on the chart's defaults", () => {
  const base = fs.readdirSync(VALUES_DIR).filter((f) => /^upskill-.*\.yaml$/.test(f));
  const overlays = fs
    .readdirSync(VALUES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => fs.readdirSync(path.join(VALUES_DIR, d.name)).filter((f) => /^upskill-.*\.yaml$/.test(f)).map((f) => `${d.name}/${f}`));

  test("the files are there (api, web, worker and dev's overlays)", () => {
    expect(base.sort()).toEqual(["upskill-api.yaml", "upskill-web.yaml", "upskill-worker.yaml"]);
    expect(overlays.length).toBeGreaterThan(0);
  });

  test.each(base)("helm-values/%s", (f) => {
    expect(problems(onDefaults(yamlFile(path.join(VALUES_DIR, f))))).toEqual([]);
  });

  test.each(overlays)("helm-values/%s, alone and over its base file", (f) => {
    const overlay = yamlFile(path.join(VALUES_DIR, f));
    expect(problems(onDefaults(overlay))).toEqual([]);
    expect(problems(onDefaults(yamlFile(path.join(VALUES_DIR, path.basename(f))), overlay))).toEqual([]);
  });
});

describe("the schema bites", () => {
  const api = () => onDefaults(yamlFile(path.join(VALUES_DIR, "upskill-api.yaml")), { image: { repository: "111111111111.dkr.ecr.eu-west-1.amazonaws.com/upskill-dev/api", tag: "1.0.0" } });

  test("an unknown key, at the top and nested, is refused with its path", () => {
    expect(problems(mergeValues(api(), { replicas: 3 }))).toEqual(["/: must NOT have additional properties (replicas)"]);
    expect(problems(mergeValues(api(), { autoscaling: { minReplica: 2 } }))).toEqual(["/autoscaling: must NOT have additional properties (minReplica)"]);
  });

  test("a wrong type is refused", () => {
    expect(problems(mergeValues(api(), { replicaCount: "three" }))).toEqual(["/replicaCount: must be integer"]);
    expect(problems(mergeValues(api(), { containerPort: 70000 }))).toContain("/containerPort: must be <= 65535");
  });

  test("a secret in config is refused: the database and the cache use IAM auth", () => {
    const withPassword = mergeValues(api(), {
      config: { database: { writerHost: "w", readerHosts: ["r"], port: 5432, name: "upskill", user: "upskill_api", iamAuth: true, sslMode: "verify-full", password: "hunter2" } },
    });
    expect(problems(withPassword)).toEqual(["/config/database: must NOT have additional properties (password)"]);
    expect(problems(mergeValues(api(), { config: { cache: { primaryHost: "p", readerHost: "r", port: 6379, tls: true, iamAuth: false, user: "u", replicationGroupId: "g" } } }))).toEqual([
      "/config/cache/iamAuth: must be equal to constant",
    ]);
  });

  test("settings the namespace's Pod Security level restricted would reject are refused", () => {
    expect(problems(mergeValues(api(), { securityContext: { allowPrivilegeEscalation: true } }))).toEqual(["/securityContext/allowPrivilegeEscalation: must be equal to constant"]);
    expect(problems(mergeValues(api(), { securityContext: { privileged: true } }))).toEqual(["/securityContext/privileged: must be equal to constant"]);
    expect(problems(mergeValues(api(), { podSecurityContext: { runAsUser: 0 } }))).toEqual(["/podSecurityContext/runAsUser: must be >= 1"]);
    expect(problems(mergeValues(api(), { securityContext: { capabilities: { drop: ["NET_RAW"], add: ["SYS_ADMIN"] } } }))).toEqual([
      "/securityContext/capabilities/drop/0: must be equal to constant",
      "/securityContext/capabilities/drop: must contain at least 1 valid item(s)",
      "/securityContext/capabilities/add/0: must be equal to constant",
    ]);
  });

  test("a TargetGroupBinding without a target group, and a disruption budget with both limits, are refused", () => {
    // The chart's default targetGroupARN is empty.
    expect(problems(mergeValues(api(), { targetGroupBinding: { enabled: true } }))).toEqual([
      "/targetGroupBinding/targetGroupARN: must NOT have fewer than 1 characters",
      '/targetGroupBinding: must match "then" schema',
    ]);
    // helm-values/upskill-api.yaml sets maxUnavailable: adding minAvailable gives both.
    expect(problems(mergeValues(api(), { podDisruptionBudget: { minAvailable: 2 } }))).toEqual(["/podDisruptionBudget: must NOT be valid"]);
  });
});

describe("the templates read only values the schema describes", () => {
  const dir = path.join(CHART, "templates");
  const refs = fs
    .readdirSync(dir)
    .flatMap((f) => [...fs.readFileSync(path.join(dir, f), "utf8").matchAll(/\.Values\.([A-Za-z0-9_.]+)/g)].map((m) => ({ file: f, ref: m[1] })));
  const resolve = (s: any): any => (s?.$ref ? resolve(s.$ref.split("/").slice(1).reduce((o: any, k: string) => o[k], schema)) : s);
  const described = (ref: string) => {
    let s: any = schema;
    for (const key of ref.split(".")) {
      s = resolve(s)?.properties?.[key];
      if (!s) return false;
    }
    return true;
  };

  test("every .Values.<path> of every template is a property of the schema", () => {
    expect(refs.length).toBeGreaterThan(40);
    expect(refs.filter((r) => !described(r.ref)).map((r) => `${r.file}: .Values.${r.ref}`)).toEqual([]);
  });
});
