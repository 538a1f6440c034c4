import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { DataResource, Testing } from "cdktf";
import { OriginSecret } from "../../modules/cdn/origin-secret";
import { describeWithTerraform } from "../support/terraform";

/**
 * Terraform core's verdict on the origin secret (built-in provider only, offline): the value is
 * generated at apply and lives in state alone, stays the same on every later plan, a rotation
 * replaces the standby slot only, and plans never print a value.
 */
function stackJson(rotation: number): string {
  return Testing.synthScope((scope) => {
    const secret = new OriginSecret(scope, "origin-secret", { rotation });
    // Stand-ins for the listener rule (both values) and CloudFront (the current one); in
    // triggers_replace, which terraform_data does not echo into an unmarked output as it does input.
    new DataResource(scope, "listener-rule", { triggersReplace: { values: secret.acceptedValues } });
    new DataResource(scope, "cloudfront", { triggersReplace: { header: secret.currentValue } });
  });
}

function terraform(dir: string, ...args: string[]) {
  const run = spawnSync("terraform", args, { cwd: dir, encoding: "utf8", env: { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null", CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" } });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

describeWithTerraform("OriginSecret under Terraform core", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "origin-secret-"));
  const write = (rotation: number) => fs.writeFileSync(path.join(dir, "main.tf.json"), stackJson(rotation));
  const slotValues = () => {
    const state = JSON.parse(fs.readFileSync(path.join(dir, "terraform.tfstate"), "utf8"));
    return state.resources.filter((r: any) => r.name.startsWith("origin-secret_slot")).sort((a: any, b: any) => a.name.localeCompare(b.name)).map((r: any) => r.instances[0].attributes.triggers_replace.value.value as string); // dynamic values: { value, type } in state
  };
  let applied: string[] = [];

  beforeAll(() => {
    write(0);
    expect(terraform(dir, "init", "-input=false", "-no-color").status).toBe(0);
    const apply = terraform(dir, "apply", "-auto-approve", "-input=false", "-no-color");
    expect(apply.status).toBe(0);
    applied = slotValues();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("apply generates two distinct 64-hex-digit values that exist in state only, not in the JSON", () => {
    expect(applied).toHaveLength(2);
    for (const v of applied) expect(v).toMatch(/^[0-9a-f]{64}$/);
    expect(applied[0]).not.toBe(applied[1]);
    const json = fs.readFileSync(path.join(dir, "main.tf.json"), "utf8");
    for (const v of applied) expect(json).not.toContain(v);
  });

  test("a later plan changes nothing (uuid() is new each plan, ignore_changes keeps the value)", () => {
    const plan = terraform(dir, "plan", "-detailed-exitcode", "-input=false", "-no-color");
    expect(plan.out).toMatch(/No changes\./);
    expect(plan.status).toBe(0);
  });

  test("a rotation replaces only the standby slot, switches the current value to it, and prints no value", () => {
    write(1);
    const plan = terraform(dir, "plan", "-input=false", "-no-color", "-out=rotate.plan");
    expect(plan.status).toBe(0);
    for (const v of applied) expect(plan.out).not.toContain(v);
    const show = JSON.parse(terraform(dir, "show", "-json", "rotate.plan").out);
    const actions = Object.fromEntries(show.resource_changes.map((c: any) => [c.address.replace(/_[0-9A-F]{8}$/, ""), c.change.actions.join(",")]));
    expect(actions).toEqual({
      "terraform_data.origin-secret_generation-0": "no-op",
      "terraform_data.origin-secret_generation-1": "update",
      "terraform_data.origin-secret_slot-0": "no-op",
      "terraform_data.origin-secret_slot-1": "delete,create",
      "terraform_data.listener-rule": "delete,create",
      "terraform_data.cloudfront": "delete,create",
    });
    expect(plan.out).toMatch(/\(sensitive value\)/);
    expect(terraform(dir, "apply", "-input=false", "-no-color", "rotate.plan").status).toBe(0);
    const [slot0, slot1] = slotValues();
    expect(slot0).toBe(applied[0]);
    expect(slot1).not.toBe(applied[1]);
    const state = JSON.parse(fs.readFileSync(path.join(dir, "terraform.tfstate"), "utf8"));
    const input = (name: string) => state.resources.find((r: any) => r.name.startsWith(name)).instances[0].attributes.triggers_replace.value;
    expect(input("cloudfront")).toEqual({ header: slot1 });
    expect(input("listener-rule")).toEqual({ values: [slot0, slot1] });
  });
});
