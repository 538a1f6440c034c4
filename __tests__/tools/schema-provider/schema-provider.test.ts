import * as path from "node:path";
import { fakeArn, fakeString } from "../../../tools/schema-provider/fakes";
import { PLAN_HOOKS } from "../../../tools/schema-provider/provider-knowledge";
import type { Attribute, Block } from "../../../tools/schema-provider/schema";
import { loadProviderSchema, MissingBindingsError, bindingsDir, subsetSchema } from "../../../tools/schema-provider/store";
import { fillUnknowns, isUnknown, markUnknown, UNKNOWN, type ObjectValue } from "../../../tools/schema-provider/values";

const ROOT = path.resolve(__dirname, "..", "..", "..");

/** The schemas rebuilt from the installed bindings (cached by version after the first extraction). */
const aws = loadProviderSchema("aws", ROOT);
const kubernetes = loadProviderSchema("kubernetes", ROOT);
const helm = loadProviderSchema("helm", ROOT);

const attr = (b: Block, name: string): Attribute => {
  const a = b.attributes.find((x) => x.name === name);
  if (!a) throw new Error(`no attribute ${name}`);
  return a;
};
const blockType = (b: Block, name: string) => {
  const bt = b.block_types.find((x) => x.type_name === name);
  if (!bt) throw new Error(`no block ${name}`);
  return bt;
};

describe("schema rebuilt from the bindings", () => {
  test("carries the exact provider versions of the locked bindings", () => {
    expect(aws).toMatchObject({ source: "registry.terraform.io/hashicorp/aws", version: "6.25.0", bindings: "@cdktf/provider-aws@21.22.1" });
    expect(kubernetes.version).toBe("2.38.0");
    expect(helm.version).toBe("3.1.1");
    expect(Object.keys(aws.resources).length).toBeGreaterThan(1500);
    expect(Object.keys(aws.data).length).toBeGreaterThan(600);
    expect(helm.resources.helm_release).toBeDefined();
  });

  test("required, optional and computed-only attributes", () => {
    const role = aws.resources.aws_iam_role;
    expect(attr(role, "assume_role_policy")).toMatchObject({ type: "string", required: true, optional: false });
    expect(attr(role, "name")).toMatchObject({ required: false, optional: true, computed: true });
    expect(attr(role, "arn")).toMatchObject({ computed: true, unknownAtPlan: true });
    expect(attr(role, "arn").optional).toBeUndefined();
    expect(attr(aws.resources.aws_sqs_queue, "visibility_timeout_seconds").type).toBe("number");
    expect(attr(aws.resources.aws_s3_bucket, "tags").type).toEqual(["map", "string"]);
    expect(attr(aws.resources.aws_vpc, "enable_dns_support").type).toBe("bool");
  });

  test("blocks, their nesting and max_items = 1 structs", () => {
    const db = aws.resources.aws_db_instance;
    expect(blockType(db, "timeouts").nesting).toBe("SINGLE");
    const lt = aws.resources.aws_launch_template;
    expect(blockType(lt, "metadata_options")).toMatchObject({ nesting: "LIST", max_items: 1 });
    expect(attr(blockType(lt, "metadata_options").block, "http_put_response_hop_limit").type).toBe("number");
    const sg = aws.resources.aws_security_group;
    // SDKv2 ConfigModeAttr: an attribute of a set of objects, not a block.
    expect(attr(sg, "ingress").type).toEqual(["set", expect.arrayContaining(["object"])]);
    const cert = aws.resources.aws_acm_certificate;
    expect(attr(cert, "domain_validation_options")).toMatchObject({ computed: true, unknownAtPlan: true });
    expect(attr(cert, "domain_validation_options").type).toEqual(["set", ["object", expect.objectContaining({ domain_name: "string", resource_record_value: "string" })]]);
  });

  test("blocks whose struct lives in another file of the bindings keep their list nesting", () => {
    // cron_job_v1's init_container is in structs400.js and calls structs0_1.…EnvToHclTerraform.
    const spec = (b: Block, ...path: string[]) => path.reduce((x, p) => blockType(x, p).block, b);
    const pod = spec(kubernetes.resources.kubernetes_cron_job_v1, "spec", "job_template", "spec", "template", "spec");
    expect(blockType(blockType(pod, "init_container").block, "env")).toMatchObject({ nesting: "LIST", max_items: 0 });
    expect(blockType(blockType(pod, "container").block, "env")).toMatchObject({ nesting: "LIST", max_items: 0 });
  });

  test("a set block with a dynamically-typed attribute inside is served as a list (Terraform refuses the set)", () => {
    expect(blockType(aws.resources.aws_wafv2_web_acl, "rule").nesting).toBe("LIST");
    expect(blockType(aws.resources.aws_s3_bucket_lifecycle_configuration, "rule").nesting).toBe("LIST");
  });

  test("a subset keeps only the types a stack uses, and drops unknown ones for Terraform to report", () => {
    const s = subsetSchema(aws, { resources: new Set(["aws_vpc", "aws_not_a_type"]), data: new Set(["aws_region"]) });
    expect(Object.keys(s.resources)).toEqual(["aws_vpc"]);
    expect(Object.keys(s.data)).toEqual(["aws_region"]);
    expect(s.provider).toBe(aws.provider);
  });

  test("a provider without installed bindings is refused with what to do", () => {
    expect(() => bindingsDir("random", ROOT)).toThrow(MissingBindingsError);
    expect(() => bindingsDir("random", ROOT)).toThrow(/has no schema-only provider/);
    expect(() => bindingsDir("aws", "/nonexistent")).toThrow(/are not installed .*run `npm install`/);
  });
});

describe("values", () => {
  const block: Block = {
    attributes: [
      { name: "name", type: "string", optional: true, computed: true },
      { name: "arn", type: "string", computed: true, unknownAtPlan: true },
      { name: "ports", type: ["list", "number"], computed: true, unknownAtPlan: true },
    ],
    block_types: [{ type_name: "nested", nesting: "LIST", min_items: 0, max_items: 0, block: { attributes: [{ name: "id", type: "string", computed: true, unknownAtPlan: true }], block_types: [] } }],
  };

  test("plan marks computed-only nulls unknown and leaves optional ones null", () => {
    const planned = markUnknown({ name: null, arn: null, ports: null, nested: [{ id: null }] }, block) as ObjectValue;
    expect(planned.name).toBeNull();
    expect(isUnknown(planned.arn)).toBe(true);
    expect(isUnknown((planned.nested as ObjectValue[])[0].id)).toBe(true);
  });

  test("apply fills unknowns with deterministic values of their type", () => {
    const ctx = { type: "aws_iam_role", seed: "s1", region: "eu-central-1", accountId: "222222222222", name: "upskill-ci" };
    const a = fillUnknowns({ name: "upskill-ci", arn: UNKNOWN, ports: UNKNOWN, nested: [{ id: UNKNOWN }] }, block, ctx, false) as ObjectValue;
    const b = fillUnknowns({ name: "upskill-ci", arn: UNKNOWN, ports: UNKNOWN, nested: [{ id: UNKNOWN }] }, block, ctx, false) as ObjectValue;
    expect(a).toEqual(b);
    expect(a.arn).toBe("arn:aws:iam::222222222222:role/upskill-ci");
    expect(a.ports).toEqual([1]);
  });

  test("fake ARNs parse: arn:partition:service:region:account:resource", () => {
    const arn = /^arn:aws:[a-z0-9-]+:([a-z0-9-]*):(\d{12})?:.+$/;
    for (const type of ["aws_s3_bucket", "aws_kms_key", "aws_db_instance", "aws_sns_topic", "aws_eks_cluster", "aws_lb", "aws_ssm_parameter"]) {
      expect(fakeArn({ type, seed: "x", region: "eu-west-1", accountId: "111111111111", name: "n" }, "arn")).toMatch(arn);
    }
    expect(fakeArn({ type: "aws_s3_bucket", seed: "x", region: "eu-west-1", accountId: "111111111111", name: "b" }, "arn")).toBe("arn:aws:s3:::b");
    expect(fakeString({ type: "aws_vpc", seed: "x", region: "eu-west-1", accountId: "111111111111" }, "cidr_block", "cidr_block")).toBe("10.0.0.0/16");
  });

  test("aws_acm_certificate: domain_validation_options known at plan per name, records unknown (provider CustomizeDiff)", () => {
    const planned: ObjectValue = { domain_name: "api.example.com", subject_alternative_names: ["example.com"], validation_method: "DNS", domain_validation_options: UNKNOWN };
    PLAN_HOOKS.aws_acm_certificate(planned, null);
    const options = planned.domain_validation_options as ObjectValue[];
    expect(options.map((o) => o.domain_name)).toEqual(["api.example.com", "example.com"]);
    expect(isUnknown(options[0].resource_record_value)).toBe(true);
  });
});
