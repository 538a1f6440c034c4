import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../tools/audit/cli";
import { environmentsOf, renderAudit, stackGraph } from "../../tools/audit/report";
import { evaluate } from "../../tools/policy/engine";
import { RULES } from "../../tools/policy/rules";
import { loadSynthApp } from "../../tools/synth/app";
import { localBackend, s3Backend, writeSynthDir } from "../support/synth-dir";

const rotatingKey = { enable_key_rotation: true, lifecycle: { prevent_destroy: true } };
const dir = writeSynthDir({
  "dev-bootstrap": { json: { ...localBackend, provider: { aws: [{ region: "eu-west-1" }] }, resource: { aws_kms_key: { state: rotatingKey } } } },
  "dev-network": { json: { ...s3Backend(), resource: { aws_vpc: { main: { cidr_block: "10.0.0.0/16" } }, aws_route_table: { a: {}, b: {} } } } },
  "dev-data": {
    dependencies: ["dev-network"],
    json: {
      ...s3Backend(),
      provider: { aws: [{ region: "eu-west-1" }, { alias: "dr", region: "eu-central-1" }] },
      resource: {
        aws_kms_key: { data: rotatingKey, legacy: { "//": { suppressions: [{ rule: "kms-key-rotation", reason: "imported key material cannot rotate automatically" }] }, lifecycle: { prevent_destroy: true } } },
        aws_db_instance: { postgres: { storage_encrypted: true, kms_key_id: "${aws_kms_key.data.arn}", publicly_accessible: true } },
        aws_iam_policy: { wide: { policy: JSON.stringify({ Statement: [{ Sid: "S3", Effect: "Allow", Action: "s3:*", Resource: "*" }] }) } },
      },
      data: { aws_caller_identity: { current: {} } },
    },
  },
  "prod-network": { json: s3Backend() },
});

describe("audit report", () => {
  const app = loadSynthApp(dir);
  const verdicts = evaluate(app, RULES);
  const md = renderAudit(app, verdicts, { source: "cdktf.out", rules: RULES });

  test("environments with their stacks in dependency order", () => {
    expect(environmentsOf(app)).toEqual([
      { name: "dev", stacks: ["dev-bootstrap", "dev-network", "dev-data"] },
      { name: "prod", stacks: ["prod-network"] },
    ]);
    expect(md.indexOf("## Environment dev")).toBeLessThan(md.indexOf("## Environment prod"));
  });

  test("a Mermaid graph of each environment's stacks and dependencies", () => {
    expect(stackGraph(app, ["dev-bootstrap", "dev-network", "dev-data"])).toBe(
      [
        "```mermaid",
        "graph LR",
        '  s_dev_bootstrap["dev-bootstrap<br/>1 resources"]',
        '  s_dev_network["dev-network<br/>3 resources"]',
        '  s_dev_data["dev-data<br/>4 resources"]',
        "  s_dev_network --> s_dev_data",
        "```",
      ].join("\n"),
    );
    expect(md).toContain("  s_dev_network --> s_dev_data");
  });

  test("each stack's backend, providers, dependencies and resource counts by type", () => {
    const data = md.slice(md.indexOf("### dev-data"), md.indexOf("## Environment prod"));
    expect(data).toContain("- backend: s3 `state/k`, S3 lock file, DynamoDB lock `lock`");
    expect(data).toContain("- providers: aws (eu-west-1), aws.dr (eu-central-1)");
    expect(data).toContain("- depends on: dev-network");
    expect(data).toContain("| aws_kms_key | 2 |");
    expect(data).toContain("| data.aws_caller_identity | 1 |");
    expect(md).toContain("- backend: local (applied by hand)");
  });

  test("one line per checked setting with its verdict", () => {
    expect(md).toContain("| public exposure | `aws_db_instance.postgres` | rds-not-public | ❌ fail | publicly_accessible is true |");
    expect(md).toContain("| encryption | `aws_db_instance.postgres` | rds-storage-encrypted | ✅ pass | encrypted with ${aws_kms_key.data.arn} |");
    expect(md).toContain("| iam | `aws_iam_policy.wide` | iam-service-wildcard | ⚠️ warn | policy: S3 allows s3:* on \"*\" |");
    expect(md).toContain("| encryption | `aws_kms_key.legacy` | kms-key-rotation | 🔕 suppressed | enable_key_rotation is not true — suppressed: imported key material cannot rotate automatically |");
  });

  test("failing checks are listed up front with their addresses, and counted per environment", () => {
    const head = md.slice(0, md.indexOf("## Environment dev"));
    expect(head).toContain("## Failing checks");
    expect(head).toContain("| `dev-data/aws_db_instance.postgres` | rds-not-public | publicly_accessible is true |");
    expect(head).toMatch(/\| \[dev\]\(#environment-dev\) \| 3 \| 8 \| \d+ \| 1 \| 1 \| \d+ \|/);
  });

  test("resource types without a rule are listed, and every rule is described", () => {
    expect(md).toMatch(/\| aws_route_table \| 2 \| no rule needed: routing; /);
    for (const r of RULES) expect(md).toContain(`| ${r.id} | ${r.category} | ${r.level} |`);
  });

  test("the report is deterministic", () => {
    expect(renderAudit(app, evaluate(app, RULES), { source: "cdktf.out", rules: RULES })).toBe(md);
  });
});

describe("npm run audit", () => {
  async function run(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join("\n"), err: err.join("\n") };
  }

  test("writes AUDIT.md into the output folder and names failures", async () => {
    const r = await run(["--dir", dir]);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, "AUDIT.md"), "utf8")).toContain("# Audit of the synthesized stacks");
    expect(r.out).toMatch(/wrote .*AUDIT\.md: 4 stacks, 8 resources; \d+ failing/);
    expect(r.err).toContain("fail dev-data/aws_db_instance.postgres: rds-not-public");
  });

  test("--strict fails on a failing error rule; bad usage and a missing folder are errors", async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "audit-")), "a.md");
    expect((await run(["--", "--dir", dir, "--out", out, "--strict"])).code).toBe(1);
    expect((await run(["--dir"])).code).toBe(2);
    expect((await run(["--bogus"])).code).toBe(2);
    const missing = await run(["--dir", path.join(os.tmpdir(), "no-such-synth")]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("not found; run `npm run synth` first");
  });

  test("audits the real synthesized app of every shipped environment, with each role's boundary and action count", async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "audit-")), "AUDIT.md");
    const r = await run(["--dir", process.env.UPSKILL_TEST_SYNTH_DIR!, "--out", out]);
    expect(r.code).toBe(0);
    const report = fs.readFileSync(out, "utf8");
    for (const env of ["dev", "staging", "prod"]) {
      expect(report).toContain(`## Environment ${env}`);
      expect(report).toContain(`### ${env}-network`);
    }
    expect(report).toContain("```mermaid");
    // Every layer role carries the boundary; the CI roles (made by an administrator) do not.
    expect(report).toMatch(/\| `upskill-prod-app-api` \| prod-app \| `upskill-prod-workload-boundary` \| \d+ \| \d+ \|/);
    expect(report).toMatch(/\| `upskill-prod-ci-deploy` \| prod-bootstrap \| none \| \d+ \| \d+ \|/);
  });
});
