import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DnsValidatedCertificate } from "../../../modules/certificate/dns-validated-certificate";
import { rehearse, type Rehearsal, selectStacks, type StackResult } from "../../../tools/rehearse/rehearse";
import { SchemaCache } from "../../../tools/rehearse/workspace";
import { writeSynthDir } from "../../support/synth-dir";
import { describeWithTerraform } from "../../support/terraform";

/**
 * The rehearsal is judged by Terraform core itself: each planted fault must
 * fail with Terraform's own message, located at the construct that made it,
 * and the same stacks fixed must apply.
 */
const required = { required_providers: { aws: { source: "aws", version: "6.25.0" } } };
const provider = { aws: [{ region: "eu-west-1", allowed_account_ids: ["111111111111"] }] };
const meta = (p: string) => ({ "//": { metadata: { path: p, uniqueId: p.split("/").pop() } } });

function stack(id: string, body: Record<string, any>, backendKey = `${id}.tfstate`): Record<string, any> {
  return { terraform: { ...required, backend: { s3: { bucket: "state", key: backendKey, region: "eu-west-1", encrypt: true } } }, provider, ...body };
}

const bucket = (extra: Record<string, any>) => ({ resource: { aws_s3_bucket: { logs: { ...meta("faults-x/logs/bucket"), bucket: "upskill-logs", ...extra } } } });
const role = (extra: Record<string, any>) => ({ resource: { aws_iam_role: { ci: { ...meta("faults-x/ci/role"), name: "upskill-ci", ...extra } } } });
const queue = (timeout: unknown) => ({ resource: { aws_sqs_queue: { jobs: { ...meta("faults-x/jobs/queue"), name: "upskill-jobs", visibility_timeout_seconds: timeout } } } });
const certificate = {
  resource: {
    aws_acm_certificate: { cert: { ...meta("faults-x/cert/certificate"), domain_name: "api.example.com", subject_alternative_names: ["example.com"], validation_method: "DNS" } },
    aws_route53_record: {
      validation: {
        ...meta("faults-x/cert/validation-record"),
        // The form the certificate module used to synthesize.
        for_each: "${{ for key, val in tolist(aws_acm_certificate.cert.domain_validation_options): val.domain_name => val }}",
        zone_id: "Z123",
        name: "${each.value.resource_record_name}",
        type: "${each.value.resource_record_type}",
        records: ["${each.value.resource_record_value}"],
        ttl: 60,
      },
    },
  },
};
const upstream = stack("faults-upstream", { output: { vpc_id: { value: "vpc-123" } } }, "up.tfstate");
const reader = (attribute: string) => ({
  data: { terraform_remote_state: { up: { backend: "s3", config: { bucket: "state", key: "up.tfstate", region: "eu-west-1" } } } },
  resource: { aws_ssm_parameter: { vpc: { ...meta("faults-x/vpc-parameter"), name: "/upskill/vpc", type: "String", value: `\${data.terraform_remote_state.up.outputs.${attribute}}` } } },
});

/** The certificate module as the app synthesizes it now. */
function certificateModule(): Record<string, any> {
  const json = JSON.parse(
    Testing.synthScope((scope) => {
      new AwsProvider(scope, "aws", { region: "eu-west-1", allowedAccountIds: ["111111111111"] });
      new DnsValidatedCertificate(scope, "cert", { domainName: "api.example.com", subjectAlternativeNames: ["example.com"], zoneId: "Z123" });
    }),
  );
  return { resource: json.resource, locals: json.locals };
}

/** Every file's path and content hash under `dir`. */
function treeDigest(dir: string): string {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(`${path.relative(dir, p)} ${createHash("sha256").update(fs.readFileSync(p)).digest("hex")}`);
    }
  };
  walk(dir);
  return out.join("\n");
}

function byId(r: Rehearsal): Map<string, StackResult> {
  return new Map(r.stacks.map((s) => [s.id, s]));
}

function errorOf(s: StackResult) {
  const errors = s.diagnostics.filter((d) => d.severity === "error");
  expect(errors.length).toBeGreaterThan(0);
  return errors[0];
}

describeWithTerraform("rehearsal: planted faults fail with Terraform's message, fixed they apply", () => {
  let faulty: Map<string, StackResult>;
  let fixed: Map<string, StackResult>;
  let dirs: string[] = [];
  let before = "";
  let faultsDir = "";

  beforeAll(async () => {
    const faults = writeSynthDir({
      "faults-upstream": { json: upstream },
      "faults-unknownarg": { json: stack("faults-unknownarg", bucket({ bucket_nme: "typo" })) },
      "faults-missingarg": { json: stack("faults-missingarg", role({})) },
      "faults-wrongtype": { json: stack("faults-wrongtype", queue("thirty")) },
      "faults-foreach": { json: stack("faults-foreach", certificate) },
      "faults-remotestate": { json: stack("faults-remotestate", reader("subnet_ids")), dependencies: ["faults-upstream"] },
    });
    const repaired = writeSynthDir({
      "fixed-upstream": { json: upstream },
      "fixed-all": {
        json: stack("fixed-all", {
          data: reader("vpc_id").data,
          resource: { ...bucket({}).resource, ...role({ assume_role_policy: '{"Version":"2012-10-17","Statement":[]}' }).resource, ...queue(30).resource, ...certificateModule().resource, ...reader("vpc_id").resource },
          locals: certificateModule().locals,
        }),
        dependencies: ["fixed-upstream"],
      },
    });
    dirs = [faults, repaired];
    faultsDir = faults;
    before = treeDigest(faults);
    const [a, b] = await Promise.all([rehearse({ manifestFile: path.join(faults, "manifest.json"), jobs: 3 }), rehearse({ manifestFile: path.join(repaired, "manifest.json"), jobs: 2 })]);
    faulty = byId(a);
    fixed = byId(b);
    dirs.push(a.workspace.dir, b.workspace.dir);
  }, 120_000);

  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  test("the synthesized folder is left exactly as it was", () => {
    expect(treeDigest(faultsDir)).toBe(before);
  });

  test("an unknown argument fails validate with Terraform's message, at its construct", () => {
    const s = faulty.get("faults-unknownarg")!;
    expect(s).toMatchObject({ ok: false, result: "failed at validate" });
    const e = errorOf(s);
    // Terraform's wording for JSON configuration (HCL says "Unsupported argument").
    expect(e.summary).toBe("Extraneous JSON object property");
    expect(e.text).toMatch(/No argument or block type is named "bucket_nme"/);
    expect(e.construct).toBe("faults-x/logs/bucket");
  });

  test("a missing required argument fails validate", () => {
    const s = faulty.get("faults-missingarg")!;
    expect(s.result).toBe("failed at validate");
    const e = errorOf(s);
    expect(e.summary).toBe("Missing required argument");
    expect(e.text).toMatch(/The argument "assume_role_policy" is required/);
    expect(e.construct).toBe("faults-x/ci/role");
  });

  test("a string for a number fails validate", () => {
    const s = faulty.get("faults-wrongtype")!;
    expect(s.result).toBe("failed at validate");
    const e = errorOf(s);
    expect(e.summary).toBe("Incorrect attribute value type");
    expect(e.text).toMatch(/visibility_timeout_seconds/);
    expect(e.text).toMatch(/a number is\s+(│ )?required/);
  });

  test("a for_each over values known only after apply fails the plan (the certificate records' old form)", () => {
    const s = faulty.get("faults-foreach")!;
    expect(s.result).toBe("failed at plan");
    const e = errorOf(s);
    expect(e.summary).toBe("Invalid for_each argument");
    expect(e.text).toMatch(/cannot be determined until apply/);
    expect(e.construct).toBe("faults-x/cert/validation-record");
  });

  test("a remote state output the upstream stack lacks fails the plan", () => {
    expect(faulty.get("faults-upstream")!.result).toBe("applied");
    const s = faulty.get("faults-remotestate")!;
    expect(s.result).toBe("failed at plan");
    const e = errorOf(s);
    expect(e.summary).toBe("Unsupported attribute");
    expect(e.text).toMatch(/subnet_ids/);
  });

  test("the same stacks fixed (the certificate module as it synthesizes now) apply", () => {
    for (const s of fixed.values()) {
      expect({ id: s.id, result: s.result, errors: s.diagnostics.filter((d) => d.severity === "error").map((d) => d.text) }).toEqual({ id: s.id, result: "applied", errors: [] });
    }
    // bucket, role, queue, parameter, certificate, 2 validation records, validation
    expect(fixed.get("fixed-all")!.planned).toEqual({ add: 8, change: 0, destroy: 0 });
  });

  test("the validation records get the certificate's record values after apply", () => {
    const state = JSON.parse(fs.readFileSync(fixed.get("fixed-all")!.prepared!.stateFile, "utf8"));
    const records = state.resources.filter((r: any) => r.type === "aws_route53_record");
    expect(records).toHaveLength(1);
    expect(records[0].instances.map((i: any) => i.index_key).sort()).toEqual(["api.example.com", "example.com"]);
    for (const i of records[0].instances) {
      expect(i.attributes.type).toBe("CNAME");
      expect(i.attributes.name).toMatch(new RegExp(`^_[0-9a-f]{8}\\.${i.index_key.replace(/\./g, "\\.")}\\.$`));
    }
  });
});

describeWithTerraform("rehearsal with one Node process per plugin launch (the provider outside the daemon)", () => {
  test("a stack applies the same way", async () => {
    const dir = writeSynthDir({ "solo-network": { json: stack("solo-network", { resource: { aws_vpc: { main: { ...meta("solo-network/vpc"), cidr_block: "10.0.0.0/16" } } }, output: { vpc: { value: "${aws_vpc.main.arn}" } } }) } });
    const r = await rehearse({ manifestFile: path.join(dir, "manifest.json"), plugins: "process" });
    expect(r.stacks.map((s) => [s.id, s.result])).toEqual([["solo-network", "applied"]]);
    const state = JSON.parse(fs.readFileSync(r.stacks[0].prepared!.stateFile, "utf8"));
    expect(state.outputs.vpc.value).toMatch(/^arn:aws:ec2:eu-west-1:111111111111:vpc\/vpc-[0-9a-f]{8}$/);
    for (const d of [dir, r.workspace.dir]) fs.rmSync(d, { recursive: true, force: true });
  }, 60_000);
});

describe("rehearsal: what it cannot take ends with one message saying what is missing", () => {
  test("a stack of the manifest whose folder is missing", () => {
    const dir = writeSynthDir({ "env-network": { json: stack("env-network", {}) } });
    fs.rmSync(path.join(dir, "stacks", "env-network"), { recursive: true });
    expect(() => selectStacks(path.join(dir, "manifest.json"))).toThrow(/stack env-network is in .*manifest.json but .*cdk.tf.json is missing: synthesize again/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("an environment the manifest does not have", () => {
    const dir = writeSynthDir({ "env-network": { json: stack("env-network", {}) } });
    expect(() => selectStacks(path.join(dir, "manifest.json"), ["qa"])).toThrow(/no environment qa in .* \(it has env\)/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("a provider with no bindings", () => {
    expect(() => new SchemaCache().check({ random: "3.6.0" })).toThrow(/provider random 3.6.0 is required by a stack but has no schema-only provider/);
    expect(() => new SchemaCache().check({ aws: "5.0.0" })).toThrow(/the stacks require 5.0.0 but the installed bindings @cdktf\/provider-aws@21.22.1 are for 6.25.0/);
  });
});
