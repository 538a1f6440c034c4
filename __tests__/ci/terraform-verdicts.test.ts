import * as fs from "node:fs";
import * as path from "node:path";
import { runTerraform } from "../../tools/rehearse/terraform";
import { createWorkspace, prepareStack, requiredProviderVersions, SchemaCache, type PreparedStack, type Workspace } from "../../tools/rehearse/workspace";
import { readManifest } from "../../tools/synth/manifest";
import { plannedOutputChanges, readiness, stateOutputs, type StackCode, type StackKnowledge } from "../../tools/ci/waits-for";
import { writeSynthDir } from "../support/synth-dir";
import { describeWithTerraform } from "../support/terraform";

/**
 * The deploy round applies a saved plan after an approval that may come much
 * later. What makes that safe is Terraform's own check, proven here with the
 * real engine (and the rehearsal's schema-only providers): a saved plan whose
 * state changed after it was made is refused, and one made on the current
 * state applies.
 */
const stackJson = {
  terraform: { required_providers: { aws: { source: "aws", version: "6.25.0" } }, backend: { s3: { bucket: "state", key: "stale.tfstate", region: "eu-west-1", encrypt: true } } },
  provider: { aws: [{ region: "eu-west-1", allowed_account_ids: ["111111111111"] }] },
  resource: { aws_ssm_parameter: { marker: { name: "/upskill/marker", type: "String", value: "${var.value}" } } },
  variable: { value: { type: "string", default: "one" } },
};

describeWithTerraform("saved plans: Terraform refuses a stale one (the apply job never re-plans)", () => {
  let ws: Workspace;
  let stack: PreparedStack;
  let elsewhere: PreparedStack;
  let synth: string;
  const tf = (...args: string[]) => runTerraform(args, stack.dir, stack.env);

  beforeAll(async () => {
    synth = writeSynthDir({ "stale-app": { json: stackJson }, "moved-app": { json: stackJson } });
    const manifest = readManifest(path.join(synth, "manifest.json"));
    ws = await createWorkspace({ providerVersions: requiredProviderVersions([stackJson]) });
    const schemas = new SchemaCache();
    stack = prepareStack(ws, manifest.stacks.find((s) => s.id === "stale-app")!, stackJson, new Map(), schemas);
    elsewhere = prepareStack(ws, manifest.stacks.find((s) => s.id === "moved-app")!, stackJson, new Map(), schemas);
    const init = await tf("init", "-input=false", "-no-color");
    expect(init.exitCode).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await ws?.close();
    for (const d of [ws?.dir, synth]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  test("plan to a file, change the state by applying another plan, then apply the first file: 'Saved plan is stale'", async () => {
    const approved = await tf("plan", "-input=false", "-no-color", "-out=approved.tfplan");
    expect(approved.exitCode).toBe(0);
    // Someone else applies first (another run, a person): the state moves on.
    expect((await tf("plan", "-input=false", "-no-color", "-var", "value=two", "-out=other.tfplan")).exitCode).toBe(0);
    expect((await tf("apply", "-input=false", "-no-color", "other.tfplan")).exitCode).toBe(0);

    const stale = await tf("apply", "-input=false", "-no-color", "approved.tfplan");
    expect(stale.exitCode).not.toBe(0);
    expect(stale.output).toContain("Saved plan is stale");
    // Nothing of the stale plan was applied: the state still holds the other apply's value.
    const state = JSON.parse(fs.readFileSync(stack.stateFile, "utf8"));
    expect(state.resources[0].instances[0].attributes.value).toBe("two");
  }, 120_000);

  test("a saved plan applies in another working directory after its own init, as the apply job does on its runner", async () => {
    const run = (dir: string, ...args: string[]) => runTerraform(args, dir, elsewhere.env);
    const planDir = path.join(ws.dir, "plan-job");
    fs.cpSync(elsewhere.dir, planDir, { recursive: true });
    expect((await run(planDir, "init", "-input=false", "-no-color")).exitCode).toBe(0);
    expect((await run(planDir, "plan", "-input=false", "-no-color", "-out=tfplan")).exitCode).toBe(0);
    // The apply job: a fresh copy of the stack, init, the downloaded file.
    fs.copyFileSync(path.join(planDir, "tfplan"), path.join(elsewhere.dir, "tfplan"));
    expect((await run(elsewhere.dir, "init", "-input=false", "-no-color")).exitCode).toBe(0);
    const applied = await run(elsewhere.dir, "apply", "-input=false", "-no-color", "tfplan");
    expect(applied.output).toContain("Apply complete! Resources: 1 added");
  }, 120_000);

  test("a plan made on the current state applies", async () => {
    expect((await tf("plan", "-input=false", "-no-color", "-out=fresh.tfplan")).exitCode).toBe(0);
    const applied = await tf("apply", "-input=false", "-no-color", "fresh.tfplan");
    expect(applied.exitCode).toBe(0);
    const state = JSON.parse(fs.readFileSync(stack.stateFile, "utf8"));
    expect(state.resources[0].instances[0].attributes.value).toBe("one");
    // Applied once, the file is stale too: a saved plan is never applied twice.
    const again = await tf("apply", "-input=false", "-no-color", "fresh.tfplan");
    expect(again.output).toContain("Saved plan is stale");
  }, 120_000);
});

/**
 * The waits-for decision against the real engine: Terraform fails the
 * downstream plan exactly when the decision says "waits", and plans it once
 * the decision says "ready".
 */
const backend = (key: string) => ({ s3: { bucket: "state", key, region: "eu-west-1", encrypt: true } });
const upstreamJson = (outputs: Record<string, string>) => ({
  terraform: { required_providers: stackJson.terraform.required_providers, backend: backend("up.tfstate") },
  provider: stackJson.provider,
  resource: { aws_ssm_parameter: { up: { name: "/upskill/up", type: "String", value: "up" } } },
  output: Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, { value: v }])),
});
const downstreamJson = {
  terraform: { required_providers: stackJson.terraform.required_providers, backend: backend("down.tfstate") },
  provider: stackJson.provider,
  data: { terraform_remote_state: { up: { backend: "s3", config: { bucket: "state", key: "up.tfstate", region: "eu-west-1" } } } },
  resource: { aws_ssm_parameter: { down: { name: "/upskill/down", type: "String", value: "${data.terraform_remote_state.up.outputs.subnet_ids}" } } },
};

describeWithTerraform("waits-for against Terraform: it waits exactly where the plan would fail", () => {
  let ws: Workspace;
  let up: PreparedStack;
  let down: PreparedStack;
  let synth: string;
  const tf = (s: PreparedStack, ...args: string[]) => runTerraform(args, s.dir, s.env);
  const v1 = upstreamJson({ vpc_id: "vpc-1" });
  const v2 = upstreamJson({ vpc_id: "vpc-1", subnet_ids: "subnet-1" });
  const upCode = (json: any): StackCode => ({ id: "wf-up", dependencies: [], json });
  const downCode: StackCode = { id: "wf-down", dependencies: ["wf-up"], json: downstreamJson };
  const decide = async (json: any, plan?: any) => {
    const known: StackKnowledge = { stack: "wf-up", appliedOutputs: stateOutputs((await tf(up, "state", "pull")).output), ...(plan ? { plannedOutputChanges: plannedOutputChanges(plan) } : {}) };
    return readiness(downCode, [{ code: upCode(json), known }]);
  };

  beforeAll(async () => {
    synth = writeSynthDir({ "wf-up": { json: v1 }, "wf-down": { json: downstreamJson, dependencies: ["wf-up"] } });
    const manifest = readManifest(path.join(synth, "manifest.json"));
    ws = await createWorkspace({ providerVersions: requiredProviderVersions([v1]) });
    const states = new Map([["state/up.tfstate", path.join(ws.dir, "stacks", "wf-up", "terraform.tfstate")]]);
    const byId = new Map(manifest.stacks.map((s) => [s.id, s]));
    up = prepareStack(ws, byId.get("wf-up")!, v1, states, new SchemaCache());
    down = prepareStack(ws, byId.get("wf-down")!, downstreamJson, states, new SchemaCache());
    for (const s of [up, down]) expect((await tf(s, "init", "-input=false", "-no-color")).exitCode).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await ws?.close();
    for (const d of [ws?.dir, synth]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  test("upstream never applied: an empty state pull, 'not applied yet', and Terraform's plan fails 'Unable to find remote state'", async () => {
    expect(await decide(v1)).toEqual({ ready: false, waitsFor: "wf-up", reason: "not applied yet" });
    const plan = await tf(down, "plan", "-input=false", "-no-color");
    expect(plan.exitCode).not.toBe(0);
    expect(plan.output).toContain("Unable to find remote state");
  }, 120_000);

  test("upstream applied without the output its new code adds: 'which this change adds', and the plan fails 'Unsupported attribute'; applied, the downstream plans", async () => {
    expect((await tf(up, "apply", "-input=false", "-no-color", "-auto-approve")).exitCode).toBe(0);
    // The change: the upstream's code gains subnet_ids, which the downstream reads.
    fs.writeFileSync(path.join(up.dir, "cdk.tf.json"), JSON.stringify({ ...v2, terraform: { ...v2.terraform, backend: { local: { path: "terraform.tfstate" } } } }));
    expect((await tf(up, "plan", "-input=false", "-no-color", "-out=tfplan")).exitCode).toBe(0);
    const shown = JSON.parse((await tf(up, "show", "-json", "tfplan")).output);
    expect(await decide(v2, shown)).toEqual({ ready: false, waitsFor: "wf-up", reason: "reads output subnet_ids, which this change adds" });
    const early = await tf(down, "plan", "-input=false", "-no-color");
    expect(early.exitCode).not.toBe(0);
    expect(early.output).toContain("Unsupported attribute");

    expect((await tf(up, "apply", "-input=false", "-no-color", "tfplan")).exitCode).toBe(0);
    expect(await decide(v2)).toEqual({ ready: true });
    expect((await tf(down, "plan", "-input=false", "-no-color")).exitCode).toBe(0);
  }, 120_000);
});
