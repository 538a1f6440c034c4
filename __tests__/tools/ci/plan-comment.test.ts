import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main, MARKER, MAX_COMMENT_CHARS, readResults, renderComment, type StackResult } from "../../../tools/ci/plan-comment";
import { parsePlan } from "../../../tools/plan-guard/plan";
import { summarizePlan } from "../../../tools/plan-guard/summary";
import { REPO_ROOT } from "../../support/fixtures";
import { localBackend, writeSynthDir } from "../../support/synth-dir";

const PLANS = path.join(REPO_ROOT, "__tests__", "fixtures", "plans");
const planned = (stack: string, fixture: string): StackResult => ({
  stack,
  status: "planned",
  summary: summarizePlan(parsePlan(fs.readFileSync(path.join(PLANS, fixture), "utf8"), fixture), stack),
});

const environments = [
  { name: "dev", stacks: ["dev-network", "dev-data", "dev-edge"], skipped: ["dev-bootstrap"] },
  { name: "prod", stacks: ["prod-network", "prod-data"], skipped: [] },
];

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

describe("plan comment", () => {
  const results = new Map<string, StackResult>([
    ["dev-network", planned("dev-network", "create.json")],
    ["dev-data", planned("dev-data", "replace-delete-before-create.json")],
    ["dev-edge", { stack: "dev-edge", status: "failed" }],
    ["prod-network", planned("prod-network", "no-op.json")],
  ]);

  test("one table row per stack with its counts, in the given order", () => {
    const md = renderComment({ environments, results, allowDataLoss: false });
    expect(md.startsWith(MARKER)).toBe(true);
    expect(md).toContain("| dev-network | **2** | 0 | 0 | 0 |  |");
    expect(md).toContain("| dev-data | 0 | 0 | **1** :warning: | 0 | :no_entry: 1 stateful |");
    expect(md).toContain("| dev-edge | – | – | – | – | :x: plan failed (see the job log) |");
    expect(md).toContain("| prod-network | 0 | 0 | 0 | 0 | no changes |");
    expect(md).toContain("| dev-bootstrap | – | – | – | – | local state: planned and applied by hand |");
    expect(md.indexOf("### dev")).toBeLessThan(md.indexOf("### prod"));
    expect(md.indexOf("| dev-network")).toBeLessThan(md.indexOf("| dev-data"));
    expect(md.indexOf("| dev-bootstrap")).toBeLessThan(md.indexOf("| dev-network"));
  });

  test("data loss is called out as blocked, naming the resource", () => {
    const md = renderComment({ environments, results, allowDataLoss: false });
    expect(md).toContain("**Blocked: 1 stateful resource(s) would be destroyed or replaced.**");
    expect(md).toContain("dev-data: aws_elasticache_replication_group.cache would be REPLACED");
    expect(md).toContain("- `dev-data` replace `aws_elasticache_replication_group.cache`");
  });

  test("with the label it is shown as allowed", () => {
    const md = renderComment({ environments, results, allowDataLoss: true });
    expect(md).toContain("**Data loss allowed** by the `allow-data-loss` label");
    expect(md).not.toContain("Blocked");
  });

  test("stacks without a result and failed plans are listed", () => {
    const md = renderComment({ environments, results, allowDataLoss: false });
    expect(md).toContain("Not planned: dev-edge (plan failed), prod-data (no result: job failed or cancelled).");
    expect(md).toContain("| prod-data | – | – | – | – | no result |");
  });

  test("no warnings when nothing is destructive", () => {
    const md = renderComment({
      environments: [{ name: "dev", stacks: ["dev-network"], skipped: [] }],
      results: new Map([["dev-network", planned("dev-network", "update.json")]]),
      allowDataLoss: false,
      runUrl: "https://github.com/o/r/actions/runs/1",
    });
    expect(md).not.toMatch(/Blocked|WARNING|CAUTION|<details>/);
    expect(md).toContain("[workflow run](https://github.com/o/r/actions/runs/1)");
  });

  test("a huge comment is cut below GitHub's limit", () => {
    const many = Array.from({ length: 3000 }, (_, i) => `dev-s${i}`);
    const big = new Map<string, StackResult>(many.map((s) => [s, planned(s, "delete.json")]));
    const md = renderComment({ environments: [{ name: "dev", stacks: many, skipped: [] }], results: big, allowDataLoss: false });
    expect(md.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(md).toContain(`cut at ${MAX_COMMENT_CHARS} characters`);
  });

  test("command: summarize each stack, then render from the manifest", () => {
    const synth = writeSynthDir({
      "dev-bootstrap": { json: localBackend },
      "dev-network": {},
      "dev-data": { dependencies: ["dev-network"] },
    });
    const summaries = fs.mkdtempSync(path.join(os.tmpdir(), "summaries-"));
    const a = io();
    expect(main(["summarize", "--stack", "dev-network", "--plan", path.join(PLANS, "create.json"), "--out", path.join(summaries, "dev-network.json")], {}, a.io)).toBe(0);
    expect(main(["summarize", "--stack", "dev-data", "--failed", "--out", path.join(summaries, "dev-data.json")], {}, a.io)).toBe(0);
    expect(readResults(summaries).get("dev-data")).toEqual({ stack: "dev-data", status: "failed" });
    const out = path.join(summaries, "comment.md");
    expect(main(["render", "--manifest", path.join(synth, "manifest.json"), "--summaries", summaries, "--out", out], {}, a.io)).toBe(0);
    const md = fs.readFileSync(out, "utf8");
    expect(md).toContain("| dev-network | **2** | 0 | 0 | 0 |  |");
    expect(md).toContain("| dev-data | – | – | – | – | :x: plan failed");
    expect(md).toContain("| dev-bootstrap | – | – | – | – | local state");
    const bad = io();
    expect(main(["summarize", "--stack", "x"], {}, bad.io)).toBe(2);
    expect(main(["render", "--manifest", path.join(synth, "none.json"), "--summaries", summaries], {}, bad.io)).toBe(1);
    expect(bad.err.join("\n")).toContain("not found; run `npm run synth` first");
  });

  test("a waiting stack is not a failure: its row names the upstream and the reason, a note lists them", () => {
    const md = renderComment({
      environments: [{ name: "dev", stacks: ["dev-network", "dev-data"], skipped: [] }],
      results: new Map<string, StackResult>([
        ["dev-network", planned("dev-network", "create.json")],
        ["dev-data", { stack: "dev-data", status: "waiting", waitsFor: "dev-network", reason: "reads output vpc|id, which this change adds" }],
      ]),
      allowDataLoss: false,
    });
    expect(md).toContain("| dev-data | – | – | – | – | :hourglass: waits for dev-network: reads output vpc\\|id, which this change adds |");
    expect(md).toContain("> Waiting, not planned yet: dev-data (waits for dev-network).");
    expect(md).not.toMatch(/Not planned|WARNING|CAUTION/);
  });

  test("render --environment: one environment's table (the deploy workflow's step summary)", () => {
    const synth = writeSynthDir({ "dev-network": {}, "prod-network": {} });
    const summaries = fs.mkdtempSync(path.join(os.tmpdir(), "summaries-"));
    const a = io();
    expect(main(["render", "--manifest", path.join(synth, "manifest.json"), "--summaries", summaries, "--environment", "prod"], {}, a.io)).toBe(0);
    expect(a.out.join("\n")).toContain("### prod");
    expect(a.out.join("\n")).not.toContain("### dev");
  });

  test("a summary holds counts and addresses, not the plan's values", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "summaries-"));
    const file = path.join(dir, "s.json");
    main(["summarize", "--stack", "dev-data", "--plan", path.join(PLANS, "update.json"), "--out", file], {}, io().io);
    expect(fs.readFileSync(file, "utf8")).not.toContain("upskill-dev-uploads"); // a value from the plan's before/after
  });
});
