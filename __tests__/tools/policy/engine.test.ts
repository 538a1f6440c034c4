import * as fs from "node:fs";
import * as path from "node:path";
import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { evaluate, inlineSuppressions, stackContext, SuppressionError, uncheckedTypes } from "../../../tools/policy/engine";
import { parseHclValue, readPolicy } from "../../../tools/policy/iam";
import { RULES } from "../../../tools/policy/rules";
import { suppress } from "../../../tools/policy/suppress";
import { SUPPRESSIONS } from "../../../tools/policy/suppressions";
import type { Rule } from "../../../tools/policy/types";
import { buildApp, type StackJson } from "../../../tools/synth/app";

const rule = (id: string): Rule => RULES.find((r) => r.id === id)!;
const app = (json: StackJson, id = "dev-data") => buildApp(new Map([[id, json]]));

describe("policy engine", () => {
  const unrotated: StackJson = { resource: { aws_kms_key: { data: {}, logs: { enable_key_rotation: true } } } };

  test("a failing error rule is fail, naming the resource address", () => {
    const verdicts = evaluate(app(unrotated), [rule("kms-key-rotation")]);
    expect(verdicts.map((v) => [v.address, v.status])).toEqual([
      ["dev-data/aws_kms_key.data", "fail"],
      ["dev-data/aws_kms_key.logs", "pass"],
    ]);
  });

  test("a failing warning rule is warn", () => {
    const json: StackJson = { resource: { aws_iam_policy: { p: { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] }) } } } };
    expect(evaluate(app(json), [rule("iam-service-wildcard")])[0]!.status).toBe("warn");
  });

  test("a suppression with a reason turns a failure into suppressed; addresses may use *", () => {
    const [v] = evaluate(app(unrotated), [rule("kms-key-rotation")], [{ rule: "kms-key-rotation", address: "*-data/aws_kms_key.data", reason: "imported key, rotated by the security team's own process" }]);
    expect(v).toMatchObject({ status: "suppressed", reason: "imported key, rotated by the security team's own process" });
  });

  test("a suppression never hides a passing check or another rule", () => {
    const verdicts = evaluate(app(unrotated), [rule("kms-key-rotation"), rule("stateful-prevent-destroy")], [{ rule: "kms-key-rotation", address: "*", reason: "a reason long enough" }]);
    expect(verdicts.filter((v) => v.rule === "stateful-prevent-destroy").map((v) => v.status)).toEqual(["fail", "fail"]);
    expect(verdicts.find((v) => v.address.endsWith(".logs") && v.rule === "kms-key-rotation")!.status).toBe("pass");
  });

  test("suppressions must carry a reason and name a rule", () => {
    const run = (reason: string, id = "kms-key-rotation") => () => evaluate(app(unrotated), RULES, [{ rule: id, address: "dev-data/aws_kms_key.data", reason }]);
    expect(run("")).toThrow(SuppressionError);
    expect(run("ok")).toThrow("dev-data/aws_kms_key.data: suppression of kms-key-rotation needs a reason");
    expect(run("a perfectly good reason", "no-such-rule")).toThrow('suppression of unknown rule "no-such-rule"');
  });

  test("inline suppressions under the JSON comment key count, and need reasons too", () => {
    const json = (reason: string): StackJson => ({ resource: { aws_kms_key: { data: { "//": { metadata: {}, suppressions: [{ rule: "kms-key-rotation", reason }] } } } } });
    expect(evaluate(app(json("rotation handled outside AWS, see runbook")), [rule("kms-key-rotation")])[0]!.status).toBe("suppressed");
    expect(() => evaluate(app(json("")), [rule("kms-key-rotation")])).toThrow(SuppressionError);
  });

  test("suppress() writes the inline form on a cdktf resource", () => {
    // Testing.synth drops the "//" comments, so synthesize the way the app does.
    const stack = new TerraformStack(Testing.app(), "dev-edge");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    const bucket = new S3Bucket(stack, "logs", { bucket: "b" });
    suppress(bucket, "s3-bucket-encryption", "ALB access logs only support SSE-S3");
    suppress(bucket, "s3-bucket-tls-only", "written by the log delivery service only");
    const out = Testing.fullSynth(stack);
    const config = JSON.parse(fs.readFileSync(path.join(out, "stacks", "dev-edge", "cdk.tf.json"), "utf8")).resource.aws_s3_bucket.logs;
    const resource = { address: "dev-edge/aws_s3_bucket.logs", stack: "dev-edge", type: "aws_s3_bucket", name: "logs", config };
    expect(inlineSuppressions(resource).map((s) => s.rule)).toEqual(["s3-bucket-encryption", "s3-bucket-tls-only"]);
    expect(() => suppress({ addOverride: () => undefined }, "x", "short")).toThrow("give a reason of 10+ characters");
  });

  test("the shipped suppressions are valid", () => {
    expect(() => evaluate(buildApp(new Map()), RULES, SUPPRESSIONS)).not.toThrow();
  });

  test("context: references resolve within the stack only", () => {
    const two = buildApp(
      new Map<string, StackJson>([
        ["dev-data", { resource: { aws_kms_key: { k: {} }, aws_sns_topic: { t: { kms_master_key_id: "${aws_kms_key.k.id}" } } } }],
        ["dev-edge", { resource: { aws_kms_key: { k: {} } } }],
      ]),
    );
    const ctx = stackContext(two, "dev-data");
    const key = two.resources.find((r) => r.address === "dev-data/aws_kms_key.k")!;
    expect(ctx.resolve("${aws_kms_key.k.arn}")).toBe(key);
    expect(ctx.resolve("${aws_kms_key.other.arn}")).toBeUndefined();
    expect(ctx.referencing(key, "aws_sns_topic").map((r) => r.address)).toEqual(["dev-data/aws_sns_topic.t"]);
    const edgeKey = two.resources.find((r) => r.address === "dev-edge/aws_kms_key.k")!;
    expect(stackContext(two, "dev-edge").referencing(edgeKey, "aws_sns_topic")).toEqual([]);
  });

  test("resource types no rule checks are listed", () => {
    const json: StackJson = { resource: { aws_kms_key: { k: {} }, aws_route_table: { r: {} } } };
    expect(uncheckedTypes(app(json), RULES)).toEqual(["aws_route_table"]);
  });
});

describe("reading IAM policies", () => {
  const ctx = (data: StackJson["data"] = {}) => stackContext(app({ resource: {}, data }), "dev-data");

  test("cdktf's jsonencode form: references become expressions", () => {
    expect(parseHclValue('{"A" = aws_s3_bucket.b.arn, "B" = ["x", "${aws_s3_bucket.b.arn}/*"], "C" = {"D" = 1, "E" = true}, "F" = concat([1], local.x)}')).toEqual({
      A: "${aws_s3_bucket.b.arn}",
      B: ["x", "${aws_s3_bucket.b.arn}/*"],
      C: { D: 1, E: true },
      F: "${concat([1], local.x)}",
    });
    expect(() => parseHclValue('{"A" = "unterminated}')).toThrow();
  });

  test("a policy document with source documents merges their statements", () => {
    const read = readPolicy("${data.aws_iam_policy_document.main.json}", ctx({
      aws_iam_policy_document: {
        base: { statement: [{ sid: "Base", actions: ["s3:GetObject"], resources: ["*"] }] },
        main: { source_policy_documents: ["${data.aws_iam_policy_document.base.json}"], statement: [{ sid: "Main", effect: "Deny", not_actions: ["iam:*"], resources: ["*"] }] },
      },
    }));
    expect("statements" in read && read.statements.map((s) => [s.sid, s.effect])).toEqual([["Main", "Deny"], ["Base", "Allow"]]);
  });

  test("principals and conditions are normalized", () => {
    const read = readPolicy(
      JSON.stringify({ Statement: { Effect: "Allow", Principal: { AWS: ["arn:aws:iam::1:root"], Service: "s3.amazonaws.com" }, Action: "kms:*", Resource: "*", Condition: { StringEquals: { "aws:SourceAccount": "1" } } } }),
      ctx(),
    );
    expect(read).toEqual({
      statements: [
        {
          effect: "Allow", actions: ["kms:*"], notActions: [], resources: ["*"], notResources: [],
          principals: ["AWS:arn:aws:iam::1:root", "Service:s3.amazonaws.com"], hasCondition: true,
          conditions: [{ test: "StringEquals", variable: "aws:SourceAccount", values: ["1"] }],
        },
      ],
    });
  });

  test("what cannot be read says why", () => {
    expect(readPolicy("${data.aws_iam_policy_document.gone.json}", ctx())).toEqual({ unreadable: "data.aws_iam_policy_document.gone is not in this stack" });
    expect(readPolicy("{not json", ctx())).toEqual({ unreadable: "policy text is not valid JSON" });
  });
});
