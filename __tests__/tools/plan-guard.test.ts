import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../tools/plan-guard/cli";
import { describeFinding, findDataLoss, overrideIsSet } from "../../tools/plan-guard/guard";
import { changeKind, formatPaths, parsePlan, PlanFormatError, replaceOrder } from "../../tools/plan-guard/plan";
import { describeSummary, summarizePlan } from "../../tools/plan-guard/summary";
import { REPO_ROOT } from "../support/fixtures";

const PLANS = path.join(REPO_ROOT, "__tests__", "fixtures", "plans");
const fixture = (name: string) => path.join(PLANS, name);
const load = (name: string) => parsePlan(fs.readFileSync(fixture(name), "utf8"), name);

function run(args: string[], env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(args, env, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("plan-guard: action classification", () => {
  test.each([
    [["create"], "create"],
    [["update"], "update"],
    [["delete"], "delete"],
    [["delete", "create"], "replace"],
    [["create", "delete"], "replace"],
    [["no-op"], "no-op"],
    [["read"], "read"],
    [["forget"], "forget"],
    [["delete", "forget"], "delete"], // an unknown future combination holding delete still destroys
    [["create", "forget"], "replace"], // CreateThenForget: a new object replaces one left unmanaged in AWS
  ])("%j is %s", (actions, kind) => {
    expect(changeKind(actions)).toBe(kind);
  });

  test("replacement order", () => {
    expect(replaceOrder(["delete", "create"])).toBe("delete-before-create");
    expect(replaceOrder(["create", "delete"])).toBe("create-before-destroy");
    expect(replaceOrder(["create", "forget"])).toBe("create-then-forget");
    expect(replaceOrder(["update"])).toBeUndefined();
  });

  test("replace paths read as attribute paths", () => {
    expect(formatPaths([["at_rest_encryption_enabled"], ["rule", 0, "kms_master_key_id"]])).toEqual(["at_rest_encryption_enabled", "rule[0].kms_master_key_id"]);
  });
});

describe("plan-guard: parsing", () => {
  test("every fixture is a valid plan in Terraform's documented format", () => {
    for (const f of fs.readdirSync(PLANS)) {
      const plan = load(f);
      expect(plan.format_version).toBe("1.2");
      expect(plan.resource_changes?.length).toBeGreaterThan(0);
    }
  });

  test.each([
    ["not json", "{", /is not JSON/],
    ["a list", "[]", /is not a JSON object/],
    ["no format version", "{}", /has no format_version/],
    ["another major version", '{"format_version":"2.0","resource_changes":[]}', /format_version 2.0; only 1.x/],
    ["a state file", '{"format_version":"1.0","values":{}}', /is a state file/],
    ["a change without actions", '{"format_version":"1.2","resource_changes":[{"address":"a.b","type":"a","change":{}}]}', /\(a\.b\) has no change\.actions/],
    ["a binary plan", "PK\u0003\u0004...", /binary plan file/],
  ])("rejects %s", (_what, text, message) => {
    expect(() => parsePlan(text, "x.json")).toThrow(PlanFormatError);
    expect(() => parsePlan(text, "x.json")).toThrow(message);
  });
});

describe("plan-guard: findings per fixture", () => {
  test.each(["create.json", "update.json", "no-op.json", "read.json", "delete-stateless.json", "replace-stateless.json"])("%s destroys nothing stateful", (f) => {
    expect(findDataLoss(load(f), f)).toEqual([]);
  });

  test("delete: the removed database is named, with the reason", () => {
    const [finding, ...rest] = findDataLoss(load("delete.json"), "delete.json");
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ address: "aws_db_instance.postgres", kind: "delete", reason: "delete_because_no_resource_config" });
    expect(describeFinding(finding!)).toBe(
      "delete.json: aws_db_instance.postgres would be DESTROYED [delete_because_no_resource_config] — loses the database and its automated backups",
    );
  });

  test("replace, delete before create: the cache is named with the attribute that forced it", () => {
    const [finding] = findDataLoss(load("replace-delete-before-create.json"), "r.json");
    expect(finding).toMatchObject({ address: "aws_elasticache_replication_group.cache", kind: "replace", order: "delete-before-create", replacePaths: ["at_rest_encryption_enabled"] });
    expect(describeFinding(finding!)).toContain("would be REPLACED (destroy, then create) [replace_because_cannot_update; forced by at_rest_encryption_enabled]");
  });

  test("replace, create before destroy: still destroys the old key", () => {
    const [finding] = findDataLoss(load("replace-create-before-destroy.json"), "r.json");
    expect(finding).toMatchObject({ address: "aws_kms_key.data", kind: "replace", order: "create-before-destroy", reason: "replace_by_request" });
    expect(describeFinding(finding!)).toContain("create, then destroy the old one");
  });

  test("a deposed stateful object's delete is a finding too", () => {
    const plan = parsePlan(
      JSON.stringify({
        format_version: "1.2",
        resource_changes: [{ address: "aws_s3_bucket.b", mode: "managed", type: "aws_s3_bucket", name: "b", deposed: "00000001", change: { actions: ["delete"] } }],
      }),
      "d.json",
    );
    expect(describeFinding(findDataLoss(plan, "d.json")[0]!)).toContain("aws_s3_bucket.b (deposed object 00000001) would be DESTROYED");
  });

  test("create-then-forget of a stateful resource is a replacement the guard blocks, counted as a replacement, not an add", () => {
    const plan = parsePlan(
      JSON.stringify({ format_version: "1.2", resource_changes: [{ address: "aws_db_instance.p", mode: "managed", type: "aws_db_instance", name: "p", change: { actions: ["create", "forget"] } }] }),
      "cf.json",
    );
    const [finding] = findDataLoss(plan, "cf.json");
    expect(finding).toMatchObject({ kind: "replace", order: "create-then-forget" });
    expect(describeFinding(finding!)).toContain("would be REPLACED (create an empty one, then forget the old one");
    expect(summarizePlan(plan, "cf.json")).toMatchObject({ adds: 0, replacements: 1, forgets: 0, replaced: ["aws_db_instance.p (old object forgotten)"] });
  });

  test("a hosted zone is stateful: destroying or replacing it is blocked", () => {
    const plan = parsePlan(
      JSON.stringify({ format_version: "1.2", resource_changes: [{ address: "aws_route53_zone.z", mode: "managed", type: "aws_route53_zone", name: "z", change: { actions: ["delete", "create"] } }] }),
      "z.json",
    );
    expect(findDataLoss(plan, "z.json")).toEqual([expect.objectContaining({ address: "aws_route53_zone.z", kind: "replace", loses: expect.stringContaining("name servers") })]);
  });

  test("forgetting a resource (removed block, destroy = false) is not data loss", () => {
    const plan = parsePlan(
      JSON.stringify({ format_version: "1.2", resource_changes: [{ address: "aws_s3_bucket.b", mode: "managed", type: "aws_s3_bucket", name: "b", change: { actions: ["forget"] } }] }),
      "f.json",
    );
    expect(findDataLoss(plan, "f.json")).toEqual([]);
  });
});

describe("plan-guard: summary", () => {
  test.each([
    ["create.json", { adds: 2, changes: 0, replacements: 0, destroys: 0, unchanged: 0 }],
    ["update.json", { adds: 0, changes: 1, replacements: 0, destroys: 0, unchanged: 0 }],
    ["no-op.json", { adds: 0, changes: 0, replacements: 0, destroys: 0, unchanged: 2 }],
    ["read.json", { adds: 0, changes: 0, replacements: 0, destroys: 0, unchanged: 1, deferredReads: 1 }],
    ["delete.json", { adds: 0, changes: 0, replacements: 0, destroys: 1, destroyed: ["aws_db_instance.postgres"] }],
    ["replace-delete-before-create.json", { replacements: 1, adds: 0, destroys: 0, replaced: ["aws_elasticache_replication_group.cache"] }],
    ["replace-create-before-destroy.json", { replacements: 1, replaced: ["aws_kms_key.data"] }],
  ])("%s", (f, expected) => {
    expect(summarizePlan(load(f), f)).toMatchObject(expected);
  });

  test("describes counts the way terraform does, plus replacements", () => {
    expect(describeSummary(summarizePlan(load("create.json"), "c"))).toBe("2 to add, 0 to change, 0 to replace, 0 to destroy");
  });

  test("counts imports and moves", () => {
    const plan = parsePlan(
      JSON.stringify({
        format_version: "1.2",
        resource_changes: [
          { address: "aws_s3_bucket.new", previous_address: "aws_s3_bucket.old", mode: "managed", type: "aws_s3_bucket", name: "new", change: { actions: ["no-op"] } },
          { address: "aws_s3_bucket.i", mode: "managed", type: "aws_s3_bucket", name: "i", change: { actions: ["no-op"], importing: { id: "i" } } },
        ],
      }),
      "m.json",
    );
    expect(describeSummary(summarizePlan(plan, "m.json"))).toBe("0 to add, 0 to change, 0 to replace, 0 to destroy, 1 to import, 1 moved");
  });
});

describe("plan-guard: override variable", () => {
  test.each([
    ["true", true],
    ["TRUE", true],
    ["1", true],
    ["false", false],
    ["", false],
    ["yes please", false],
    [undefined, false],
  ])("UPSKILL_ALLOW_DATA_LOSS=%j -> %s", (value, expected) => {
    expect(overrideIsSet({ UPSKILL_ALLOW_DATA_LOSS: value })).toBe(expected);
  });
});

describe("plan-guard: command", () => {
  test("passes the non-destructive fixtures with exit 0", () => {
    const r = run(["create.json", "update.json", "no-op.json", "read.json", "delete-stateless.json", "replace-stateless.json"].map(fixture));
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expect(r.out).toContain("create.json: 2 to add, 0 to change, 0 to replace, 0 to destroy");
    expect(r.out).toContain("6 plan(s) checked, no stateful resource destroyed or replaced");
  });

  test.each(["delete.json", "replace-delete-before-create.json", "replace-create-before-destroy.json"])("rejects %s with exit 1", (f) => {
    const r = run([fixture(f)]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("1 stateful resource(s) would be destroyed or replaced");
    expect(r.err).toContain("allow-data-loss");
  });

  test("names every stateful resource across several plans", () => {
    const r = run(["--", fixture("create.json"), fixture("delete.json"), fixture("replace-delete-before-create.json"), fixture("replace-create-before-destroy.json")]);
    expect(r.code).toBe(1);
    for (const address of ["aws_db_instance.postgres", "aws_elasticache_replication_group.cache", "aws_kms_key.data"]) expect(r.err).toContain(address);
    expect(r.err).toContain("3 stateful resource(s)");
  });

  test("the override lets them through, listed as allowed", () => {
    const r = run([fixture("delete.json"), fixture("replace-create-before-destroy.json")], { UPSKILL_ALLOW_DATA_LOSS: "true" });
    expect(r.code).toBe(0);
    expect(r.out).toContain("ALLOWED by UPSKILL_ALLOW_DATA_LOSS=true: 2 stateful resource(s)");
    expect(r.out).toContain("aws_db_instance.postgres would be DESTROYED");
    expect(r.err).toBe("");
  });

  test("an override other than true does not count", () => {
    expect(run([fixture("delete.json")], { UPSKILL_ALLOW_DATA_LOSS: "false" }).code).toBe(1);
  });

  test("bad usage and unreadable files exit 2", () => {
    expect(run([]).code).toBe(2);
    expect(run(["--force", fixture("create.json")]).err).toContain("unknown option --force");
    const missing = run([path.join(os.tmpdir(), "no-such-plan.json")]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("cannot read (ENOENT)");
  });

  test("an errored plan is unusable", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-guard-"));
    const file = path.join(dir, "errored.json");
    fs.writeFileSync(file, JSON.stringify({ format_version: "1.2", errored: true, resource_changes: [] }));
    const r = run([file]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("the plan errored");
    fs.rmSync(dir, { recursive: true });
  });

  test("blocked data loss wins over an unreadable file (exit 1)", () => {
    expect(run([fixture("delete.json"), "/nonexistent.json"]).code).toBe(1);
  });

  test("`npm run plan-guard` end to end: exit codes and messages", () => {
    const npm = (args: string[], env: Record<string, string> = {}) =>
      spawnSync("npm", ["run", "--silent", "plan-guard", "--", ...args], { cwd: REPO_ROOT, encoding: "utf8", env: { ...process.env, UPSKILL_ALLOW_DATA_LOSS: "", ...env } });
    const ok = npm([fixture("create.json"), fixture("no-op.json")]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain("2 plan(s) checked");
    const blocked = npm([fixture("replace-delete-before-create.json")]);
    expect(blocked.status).toBe(1);
    expect(blocked.stderr).toContain("aws_elasticache_replication_group.cache would be REPLACED");
    const allowed = npm([fixture("replace-delete-before-create.json")], { UPSKILL_ALLOW_DATA_LOSS: "true" });
    expect(allowed.status).toBe(0);
    expect(allowed.stdout).toContain("ALLOWED");
  });
});
