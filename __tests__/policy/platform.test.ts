import { parse } from "yaml";
import { synthesizedApp, type SynthResource } from "../support/synthesized-app";
import { SHIPPED_ENVIRONMENTS } from "../support/fixtures";

/** Whole-app checks of the platform layer, over `npm run synth`'s output of the shipped environments. */

const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const KUBERNETES_TYPES = /^(helm_|kubernetes_)/;
const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function statementsOf(policy: SynthResource): any[] {
  return asArray(JSON.parse(policy.config.policy).Statement);
}

describe("policy: platform layer", () => {
  const app = synthesizedApp();
  const releases = app.ofType("helm_release");

  test("every shipped environment has a platform stack with its three releases", () => {
    for (const env of SHIPPED_ENVIRONMENTS) {
      expect(app.stacks.has(`${env}-platform`)).toBe(true);
      expect(releases.filter((r) => r.stack === `${env}-platform`).map((r) => r.config.name).sort()).toEqual([
        "aws-load-balancer-controller",
        "cluster-autoscaler",
        "metrics-server",
      ]);
    }
  });

  // A release of a local chart (the app's charts/upskill-service, copied beside its stack) has no
  // repository and no version: Helm installs its Chart.yaml's (__tests__/charts/app-releases.test.ts).
  const localChart = (r: SynthResource) => r.config.repository === undefined && r.config.version === undefined && /^assets\/[^/]+\/[0-9A-F]+$/.test(String(r.config.chart));

  test("every Helm release pins an exact chart version from an https/oci repository (or is of a local chart beside its stack) and is atomic", () => {
    const offenders = releases
      .filter((r) => (!localChart(r) && (!SEMVER.test(String(r.config.version ?? "")) || !/^(https|oci):\/\//.test(String(r.config.repository ?? "")))) || r.config.atomic !== true)
      .map((r) => `${r.address}: version ${JSON.stringify(r.config.version)}, repository ${JSON.stringify(r.config.repository)}, atomic ${r.config.atomic}`);
    expect(offenders).toEqual([]);
  });

  test("every Helm release's values are one YAML mapping", () => {
    const offenders = releases.filter((r) => {
      const values = asArray<string>(r.config.values);
      if (values.length !== 1) return true;
      try {
        const doc = parse(values[0]);
        return typeof doc !== "object" || doc === null || Array.isArray(doc);
      } catch {
        return true;
      }
    });
    expect(offenders.map((r) => r.address)).toEqual([]);
  });

  test("the Kubernetes and Helm providers never live in a stack that creates an EKS cluster", () => {
    const offenders = [...app.stacks]
      .filter(([, json]) => Object.keys(json.resource?.aws_eks_cluster ?? {}).length > 0)
      .flatMap(([id, json]) => [
        ...["kubernetes", "helm"].filter((p) => json.provider?.[p]).map((p) => `${id}/provider.${p}`),
        ...Object.keys(json.resource ?? {}).filter((t) => KUBERNETES_TYPES.test(t)).map((t) => `${id}/${t}`),
      ]);
    expect(offenders).toEqual([]);
    // The check has something to look at.
    expect([...app.stacks.values()].some((json) => json.resource?.aws_eks_cluster)).toBe(true);
  });

  test("stacks with Kubernetes resources authenticate with `aws eks get-token`, never a stored token", () => {
    const offenders: string[] = [];
    for (const [id, json] of app.stacks) {
      if (!Object.keys(json.resource ?? {}).some((t) => KUBERNETES_TYPES.test(t))) continue;
      const connections = [...asArray<any>(json.provider?.kubernetes), ...asArray<any>(json.provider?.helm).map((h) => h.kubernetes)];
      if (connections.length !== 2) offenders.push(`${id}: expected one kubernetes and one helm provider, found ${connections.length}`);
      for (const c of connections) {
        const exec = asArray<any>(c?.exec)[0];
        if (!exec || exec.command !== "aws" || !(exec.args ?? []).slice(0, 2).every((a: string, i: number) => a === ["eks", "get-token"][i])) {
          offenders.push(`${id}: a provider without exec authentication through aws eks get-token`);
        }
        for (const k of ["token", "password", "client_key", "config_path"]) if (c?.[k]) offenders.push(`${id}: a provider sets ${k}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  test("every Pod Identity association's role trusts exactly that namespace and service account", () => {
    const offenders: string[] = [];
    const associations = app.ofType("aws_eks_pod_identity_association").filter((a) => a.stack.endsWith("-platform"));
    expect(associations.length).toBe(2 * SHIPPED_ENVIRONMENTS.length);
    for (const a of associations) {
      const m = /^\$\{aws_iam_role\.([^.}]+)\.arn\}$/.exec(String(a.config.role_arn));
      const role = m && app.resources.find((r) => r.stack === a.stack && r.type === "aws_iam_role" && r.name === m[1]);
      if (!role) {
        offenders.push(`${a.address}: its role is not a role of this stack`);
        continue;
      }
      const statements = asArray<any>(JSON.parse(role.config.assume_role_policy).Statement).filter((s) => s.Effect === "Allow");
      const scoped = statements.every(
        (s) =>
          s.Principal?.Service === "pods.eks.amazonaws.com" &&
          s.Condition?.StringEquals?.["aws:RequestTag/kubernetes-namespace"] === a.config.namespace &&
          s.Condition?.StringEquals?.["aws:RequestTag/kubernetes-service-account"] === a.config.service_account &&
          s.Condition?.StringEquals?.["aws:RequestTag/eks-cluster-name"] === a.config.cluster_name,
      );
      if (statements.length === 0 || !scoped) offenders.push(`${role.address}: trusts more than ${a.config.namespace}/${a.config.service_account} of its cluster`);
    }
    expect(offenders).toEqual([]);
  });

  test("a role that may set desired capacity or terminate instances may do so only on groups tagged as this cluster's", () => {
    const WRITES = ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup", "autoscaling:*", "*"];
    const offenders: string[] = [];
    let writers = 0;
    for (const policy of app.ofType("aws_iam_role_policy")) {
      for (const s of statementsOf(policy)) {
        if (s.Effect !== "Allow" || !asArray<string>(s.Action).some((a) => WRITES.includes(a))) continue;
        writers++;
        const condition = s.Condition?.StringEquals ?? {};
        const tagged = Object.entries(condition).some(([k, v]) => /^aws:ResourceTag\/k8s\.io\/cluster-autoscaler\/(?!enabled$).+/.test(k) && v === "owned");
        if (!tagged) offenders.push(`${policy.address}: ${JSON.stringify(s.Action)} without the cluster's ownership tag condition`);
      }
    }
    expect(offenders).toEqual([]);
    expect(writers).toBe(SHIPPED_ENVIRONMENTS.length);
  });

  test("each environment has exactly one default storage class, EBS-encrypted with a KMS key and tagged for volume backups", () => {
    for (const env of SHIPPED_ENVIRONMENTS) {
      const defaults = app
        .ofType("kubernetes_storage_class_v1")
        .filter((r) => r.stack.startsWith(`${env}-`) && r.config.metadata?.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true");
      expect(defaults).toHaveLength(1);
      const [sc] = defaults;
      const p = sc.config.parameters ?? {};
      const problems = [
        p.encrypted !== "true" && "not encrypted",
        !/^\$\{data\.terraform_remote_state\.[^}]*aws_kms_key[^}]*\}$|^\$\{aws_kms_key\.|^arn:aws:kms:/.test(String(p.kmsKeyId ?? "")) && "no KMS key",
        p.tagSpecification_1 !== `upskill.io/backup=upskill-${env}-volumes` && "no backup tag",
        sc.config.volume_binding_mode !== "WaitForFirstConsumer" && "not WaitForFirstConsumer",
      ].filter(Boolean);
      expect({ address: sc.address, problems }).toEqual({ address: sc.address, problems: [] });
    }
  });
});
