import { Testing, TerraformStack } from "cdktf";
import { parse } from "yaml";
import { Release } from "@cdktf/provider-helm/lib/release";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { HelmAddOn, type HelmAddOnProps } from "../../modules/helm-addon/helm-addon";
import { mergeValues, renderValuesYaml } from "../../modules/helm-addon/values";

const BASE: HelmAddOnProps = {
  name: "demo",
  repository: "https://charts.example.com",
  chart: "demo",
  version: "1.2.3",
  namespace: "demo-system",
};

function synth(build: (scope: TerraformStack) => void) {
  return JSON.parse(Testing.synthScope((scope) => build(scope as TerraformStack)));
}

const releases = (json: any): Record<string, any> => json.resource?.helm_release ?? {};
const releaseNamed = (json: any, name: string) => Object.values<any>(releases(json)).find((r) => r.name === name);

describe("mergeValues", () => {
  test("later layers win; mappings merge key by key; lists and scalars are replaced", () => {
    const file = { replicas: 2, podDisruptionBudget: { maxUnavailable: 1 }, tolerations: [{ key: "a" }], extraArgs: { v: 4, expander: "random" } };
    const computed = { replicas: 3, extraArgs: { expander: "priority" }, tolerations: [{ key: "b" }], clusterName: "c" };
    expect(mergeValues(file, computed)).toEqual({
      replicas: 3,
      podDisruptionBudget: { maxUnavailable: 1 },
      tolerations: [{ key: "b" }],
      extraArgs: { v: 4, expander: "priority" },
      clusterName: "c",
    });
  });

  test("null in a later layer removes the key's value (Helm deletes a chart default set to null)", () => {
    expect(mergeValues({ a: { b: 1 } }, { a: null })).toEqual({ a: null });
  });

  test("never modifies its inputs", () => {
    const file = { a: { b: 1 } };
    mergeValues(file, { a: { c: 2 } });
    expect(file).toEqual({ a: { b: 1 } });
  });
});

describe("renderValuesYaml", () => {
  test("renders one YAML document that parses back to the values", () => {
    const values = { a: 1, b: { c: ["x", "y"], d: true }, e: "50", f: null };
    expect(parse(renderValuesYaml(values))).toEqual(values);
  });

  test("escapes Terraform template sequences in literal text", () => {
    const yaml = renderValuesYaml({ text: "${not.a.reference} and %{ if }" });
    expect(yaml).toContain("$${not.a.reference}");
    expect(yaml).toContain("%%{ if }");
  });

  test("renders a token as a JSON-encoded string that Terraform fills in", () => {
    const json = synth((scope) => {
      const bucket = new S3Bucket(scope, "b", { bucket: "x" });
      new HelmAddOn(scope, "demo", { ...BASE, computedValues: { bucket: bucket.arn, nested: { arn: `prefix-${bucket.id}` } } });
    });
    const yaml: string = releaseNamed(json, "demo").values[0];
    expect(yaml).toMatch(/^bucket: \$\{jsonencode\(aws_s3_bucket\.b\.arn\)\}$/m);
    expect(yaml).toMatch(/^ {2}arn: \$\{jsonencode\("prefix-\$\{aws_s3_bucket\.b\.id\}"\)\}$/m);
  });
});

describe("HelmAddOn", () => {
  test("pins the chart and sets the release's safety settings", () => {
    const synthText = Testing.synthScope((scope) => {
      new HelmAddOn(scope, "demo", BASE);
    });
    expect(synthText).toHaveResourceWithProperties(Release, {
      name: "demo",
      repository: "https://charts.example.com",
      chart: "demo",
      version: "1.2.3",
      namespace: "demo-system",
      create_namespace: true,
      atomic: true,
      cleanup_on_fail: true,
      wait: true,
      timeout: 600,
      max_history: 10,
      skip_crds: false,
    });
  });

  test("options: no namespace creation, timeout, history, skipped CRDs", () => {
    const json = synth((scope) => {
      new HelmAddOn(scope, "demo", { ...BASE, createNamespace: false, timeoutSeconds: 900, maxHistory: 3, skipCrds: true });
    });
    expect(releaseNamed(json, "demo")).toMatchObject({ create_namespace: false, timeout: 900, max_history: 3, skip_crds: true });
  });

  test("renders the merged values as ONE YAML document, computed values over the file's", () => {
    let addOn!: HelmAddOn;
    const json = synth((scope) => {
      addOn = new HelmAddOn(scope, "demo", {
        ...BASE,
        fileValues: { replicaCount: 2, serviceAccount: { create: true, name: "from-file" }, resources: { requests: { cpu: "100m" } } },
        computedValues: { serviceAccount: { name: "demo-sa" }, clusterName: "upskill-dev" },
      });
    });
    const values: string[] = releaseNamed(json, "demo").values;
    expect(values).toHaveLength(1);
    expect(parse(values[0])).toEqual({
      replicaCount: 2,
      serviceAccount: { create: true, name: "demo-sa" },
      resources: { requests: { cpu: "100m" } },
      clusterName: "upskill-dev",
    });
    expect(addOn.values).toEqual(parse(values[0]));
  });

  test.each(["^1.2.3", "~1.2", "1.2", "v1.2.3", "latest", "", "1.2.x", ">=1.0.0"])("refuses the unpinned version %j", (version) => {
    expect(() => synth((scope) => new HelmAddOn(scope, "demo", { ...BASE, version }))).toThrow(
      `HelmAddOn demo: version must be an exact chart version such as 1.2.3 (no range, "v" prefix or "latest"), got "${version}"`,
    );
  });

  test("accepts pre-release and build versions", () => {
    expect(() => synth((scope) => new HelmAddOn(scope, "demo", { ...BASE, version: "1.2.3-rc.1+build.5" }))).not.toThrow();
  });

  test("refuses bad names, namespaces, repositories and settings with what to change", () => {
    expect(() => synth((s) => new HelmAddOn(s, "demo", { ...BASE, name: "Demo" }))).toThrow(/name must be at most 53 lower-case letters/);
    expect(() => synth((s) => new HelmAddOn(s, "demo", { ...BASE, namespace: "Kube_System" }))).toThrow(/namespace must be a Kubernetes name/);
    expect(() => synth((s) => new HelmAddOn(s, "demo", { ...BASE, repository: "http://charts.example.com" }))).toThrow(/repository must be an https:\/\/ or oci:\/\/ URL/);
    expect(() => synth((s) => new HelmAddOn(s, "demo", { ...BASE, timeoutSeconds: 0 }))).toThrow(/timeoutSeconds must be a positive whole number/);
    expect(() => synth((s) => new HelmAddOn(s, "demo", { ...BASE, maxHistory: 0 }))).toThrow(/maxHistory must be a positive whole number/);
  });

  test("creates no role unless asked", () => {
    const json = synth((scope) => new HelmAddOn(scope, "demo", BASE));
    expect(json.resource.aws_iam_role).toBeUndefined();
    expect(json.resource.aws_eks_pod_identity_association).toBeUndefined();
    expect(releaseNamed(json, "demo").depends_on).toBeUndefined();
  });

  test("creates the service account's role, its policy and association, and installs after them", () => {
    const json = synth((scope) => {
      new HelmAddOn(scope, "demo", {
        ...BASE,
        role: {
          name: "upskill-dev-demo",
          clusterName: "upskill-dev",
          accountId: "111111111111",
          serviceAccount: "demo-sa",
          statements: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*" }],
        },
      });
    });
    const [roleId, role] = Object.entries<any>(json.resource.aws_iam_role)[0];
    expect(role.name).toBe("upskill-dev-demo");
    const trust = JSON.parse(role.assume_role_policy).Statement[0].Condition.StringEquals;
    expect(trust).toMatchObject({ "aws:RequestTag/kubernetes-namespace": "demo-system", "aws:RequestTag/kubernetes-service-account": "demo-sa" });
    const [policyId, policy] = Object.entries<any>(json.resource.aws_iam_role_policy)[0];
    expect(JSON.parse(policy.policy).Statement).toEqual([{ Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*" }]);
    const [associationId, association] = Object.entries<any>(json.resource.aws_eks_pod_identity_association)[0];
    expect(association).toMatchObject({ cluster_name: "upskill-dev", namespace: "demo-system", service_account: "demo-sa" });
    expect(releaseNamed(json, "demo").depends_on).toEqual(
      expect.arrayContaining([`aws_iam_role.${roleId}`, `aws_iam_role_policy.${policyId}`, `aws_eks_pod_identity_association.${associationId}`]),
    );
  });

  test("installs after the add-ons it depends on", () => {
    const json = synth((scope) => {
      const first = new HelmAddOn(scope, "first", { ...BASE, name: "first" });
      const second = new HelmAddOn(scope, "second", { ...BASE, name: "second", dependsOn: [first] });
      new HelmAddOn(scope, "third", { ...BASE, name: "third", dependsOn: [first, second] });
    });
    const idOf = (name: string) => Object.entries<any>(releases(json)).find(([, r]) => r.name === name)![0];
    expect(releaseNamed(json, "first").depends_on).toBeUndefined();
    expect(releaseNamed(json, "second").depends_on).toEqual([`helm_release.${idOf("first")}`]);
    expect(releaseNamed(json, "third").depends_on).toEqual([`helm_release.${idOf("first")}`, `helm_release.${idOf("second")}`]);
  });
});
