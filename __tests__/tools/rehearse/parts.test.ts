import * as fs from "node:fs";
import * as path from "node:path";
import { planShape, unknownKeys } from "../../../tools/plan-guard/plan-shape";
import { allowedWarning } from "../../../tools/rehearse/allowed-warnings";
import { indexConstructs } from "../../../tools/rehearse/constructs";
import { drillCases, removeResources, renameResource } from "../../../tools/rehearse/drill";
import { parseDiagnostics, planCounts } from "../../../tools/rehearse/terraform";
import { prepareStack, requiredProviderVersions, RehearsalSetupError, SchemaCache } from "../../../tools/rehearse/workspace";

const meta = (p: string) => ({ "//": { metadata: { path: p } } });
const stack = {
  terraform: { required_providers: { aws: { source: "aws", version: "6.25.0" } } },
  resource: {
    aws_kms_key: { key: { ...meta("env-data/key") } },
    aws_s3_bucket: { bucket: { ...meta("env-data/bucket"), bucket: "b" } },
    aws_s3_bucket_server_side_encryption_configuration: { sse: { ...meta("env-data/sse"), bucket: "${aws_s3_bucket.bucket.id}", kms: "${aws_kms_key.key.arn}" } },
    aws_db_instance: { db: { ...meta("env-data/db"), kms_key_id: "${aws_kms_key.key.arn}" } },
    aws_db_instance_automated_backups_replication: { r: { ...meta("env-data/r"), source: "${aws_db_instance.db.arn}" } },
    aws_sns_topic: { keep: { ...meta("env-data/topic") } },
  },
  output: { db: { value: "${aws_db_instance.db.address}" }, topic: { value: "${aws_sns_topic.keep.arn}" } },
};

describe("Terraform's diagnostics", () => {
  const output = [
    "Planning...",
    "╷",
    "│ Error: Invalid for_each argument",
    "│ ",
    "│   on cdk.tf.json line 12, in resource.aws_route53_record.validation:",
    "│   12:         \"for_each\": \"${x}\",",
    "│ ",
    "│ The \"for_each\" map includes keys derived from resource attributes that cannot be determined until apply.",
    "╵",
    "╷",
    "│ Warning: Deprecated Parameter",
    "│ ",
    "│ The parameter \"dynamodb_table\" is deprecated. Use parameter \"use_lockfile\" instead.",
    "╵",
  ].join("\n");

  test("each framed block is one diagnostic, verbatim, with its severity and address", () => {
    const [error, warning] = parseDiagnostics(output);
    expect(error).toMatchObject({ severity: "error", summary: "Invalid for_each argument", address: "aws_route53_record.validation", line: 12 });
    expect(error.text.split("\n")[0]).toBe("╷");
    expect(error.text).toContain("cannot be determined until apply");
    expect(warning).toMatchObject({ severity: "warning", summary: "Deprecated Parameter" });
  });

  test("only reasoned warnings are allowed", () => {
    const [, warning] = parseDiagnostics(output);
    expect(allowedWarning(warning)).toMatch(/use_lockfile/);
    expect(allowedWarning({ summary: "Argument is deprecated", text: "" })).toBeUndefined();
  });

  test("plan counts", () => {
    expect(planCounts("Plan: 3 to add, 1 to change, 2 to destroy.")).toEqual({ add: 3, change: 1, destroy: 2 });
    expect(planCounts("Plan: 1 to import, 3 to add, 0 to change, 0 to destroy.")).toEqual({ add: 3, change: 0, destroy: 0 });
    expect(planCounts("No changes. Your infrastructure matches the configuration.")).toEqual({ add: 0, change: 0, destroy: 0 });
    expect(planCounts("Error: x")).toBeNull();
  });
});

describe("construct paths", () => {
  test("by address and by line of the written JSON", () => {
    const text = JSON.stringify(stack, null, 2);
    const index = indexConstructs(stack, text);
    expect(index.byAddress("aws_db_instance.db")).toBe("env-data/db");
    expect(index.byAddress("aws_s3_bucket.bucket[\"x\"]")).toBe("env-data/bucket");
    const line = text.split("\n").findIndex((l) => l.includes('"kms_key_id"')) + 1;
    expect(index.byLine(line)).toBe("env-data/db");
    expect(index.byLine(1)).toBeUndefined();
  });
});

describe("stack copies", () => {
  test("providers must be pinned to one exact version", () => {
    expect(requiredProviderVersions([stack])).toEqual({ aws: "6.25.0" });
    expect(() => requiredProviderVersions([{ terraform: { required_providers: { aws: { version: "~> 6.0" } } } }])).toThrow(RehearsalSetupError);
  });

  test("a remote state nobody writes is refused, naming the stack and the state", () => {
    const ws = { dir: fs.mkdtempSync(path.join(require("node:os").tmpdir(), "ws-")), env: {}, close: async () => undefined };
    const json = { ...stack, data: { terraform_remote_state: { up: { backend: "s3", config: { bucket: "state", key: "env/network.tfstate" } } } } };
    const s = { id: "env-data", environment: "env", layer: "data", dependencies: [], workingDirectory: "", stackFile: "" };
    expect(() => prepareStack(ws, s, json, new Map(), new SchemaCache())).toThrow(/env-data: data.terraform_remote_state.up reads state\/env\/network.tfstate, which no stack in the manifest writes/);
    const prepared = prepareStack(ws, s, json, new Map([["state/env/network.tfstate", "/x/terraform.tfstate"]]), new SchemaCache());
    expect(prepared.json.terraform.backend).toEqual({ local: { path: "terraform.tfstate" } });
    expect(prepared.json.data.terraform_remote_state.up).toMatchObject({ backend: "local", config: { path: "/x/terraform.tfstate" } });
    const served = JSON.parse(fs.readFileSync(path.join(prepared.dir, ".schemas", "aws.json"), "utf8"));
    expect(Object.keys(served.resources).sort()).toEqual(Object.keys(stack.resource).sort());
    fs.rmSync(ws.dir, { recursive: true, force: true });
  });
});

describe("data-loss drill cases", () => {
  test("removing a resource removes what refers to it, transitively, and nothing else", () => {
    const out = removeResources(stack, ["aws_kms_key.key"]);
    expect(Object.keys(out.resource).sort()).toEqual(["aws_s3_bucket", "aws_sns_topic"]);
    expect(Object.keys(out.output)).toEqual(["topic"]);
  });

  test("a rename moves every reference; with a moved block Terraform keeps the object", () => {
    const out = renameResource(stack, "aws_kms_key.key", "renamed", true);
    expect(out.resource.aws_kms_key).toEqual({ renamed: expect.anything() });
    expect(out.resource.aws_db_instance.db.kms_key_id).toBe("${aws_kms_key.renamed.arn}");
    expect(out.moved).toEqual([{ from: "aws_kms_key.key", to: "aws_kms_key.renamed" }]);
    expect(renameResource(stack, "aws_kms_key.key", "renamed", false).moved).toBeUndefined();
  });

  test("the cases of a data stack; a stack without a database is refused", () => {
    expect(drillCases(stack).map((c) => [c.name, c.refused, c.expected])).toEqual([
      ["database, bucket and key removed", true, ["aws_db_instance.db", "aws_s3_bucket.bucket", "aws_kms_key.key"]],
      ["bucket renamed without a moved block", true, ["aws_s3_bucket.bucket"]],
      ["bucket renamed with a moved block", false, []],
    ]);
    expect(() => drillCases({ resource: {} })).toThrow(/needs a stack with aws_db_instance, aws_s3_bucket, aws_kms_key/);
  });
});

describe("plan shape", () => {
  const real = { format_version: "1.2", terraform_version: "1.11.4", resource_changes: [{ address: "a.b", type: "a", change: { actions: ["delete"], before: { x: 1 }, after: null } }] };

  test("a fixture with a key Terraform does not write is caught; values under before/after are not compared", () => {
    const fixture = { format_version: "1.2", resource_changes: [{ address: "a.b", type: "a", change: { actions: ["create"], after: { anything: 1 }, replace_paths: [] } }] };
    expect(unknownKeys(fixture, [real])).toEqual([]);
    expect(unknownKeys({ ...fixture, resource_changes: [{ address: "a.b", actionz: [] }] }, [real])).toEqual(["resource_changes[].actionz"]);
    expect(planShape(real).has("resource_changes[].change.actions")).toBe(true);
  });
});
