import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { Testing } from "cdktf";
import { parse } from "yaml";
import {
  AwsLoadBalancerController,
  AWS_LOAD_BALANCER_CONTROLLER_CRDS,
  type AwsLoadBalancerControllerProps,
} from "../../modules/helm-addon/aws-load-balancer-controller/aws-load-balancer-controller";
import { REPO_ROOT } from "../support/fixtures";

const DIR = path.join(REPO_ROOT, "modules", "helm-addon", "aws-load-balancer-controller");
const PUBLISHED_TEXT = fs.readFileSync(path.join(DIR, "iam-policy.json"), "utf8");
const PUBLISHED = JSON.parse(PUBLISHED_TEXT);
/** sha256 of docs/install/iam_policy.json at tag v3.5.0 (commit 11eb202c) of kubernetes-sigs/aws-load-balancer-controller. */
const UPSTREAM_SHA256 = "16f232c9d9f79366fe949c4550ad517a202380058a9e48d45a4e215044a20a6a";

const BASE: AwsLoadBalancerControllerProps = {
  version: "3.5.0",
  clusterName: "upskill-dev",
  region: "eu-west-1",
  vpcId: "vpc-0123456789abcdef0",
  accountId: "111111111111",
  roleName: "upskill-dev-aws-load-balancer-controller",
  fileValues: { replicaCount: 2, podDisruptionBudget: { maxUnavailable: 1 }, serviceAccount: { create: true } },
  nodeSelector: { "upskill.io/node-class": "core" },
};

function synth(props: Partial<AwsLoadBalancerControllerProps> = {}) {
  return JSON.parse(
    Testing.synthScope((scope) => {
      new AwsLoadBalancerController(scope, "lbc", { ...BASE, ...props });
    }),
  );
}

describe("AwsLoadBalancerController", () => {
  const json = synth();
  const [releaseId, release] = Object.entries<any>(json.resource.helm_release)[0];
  void releaseId;

  test("installs the pinned eks-charts chart in kube-system", () => {
    expect(release).toMatchObject({
      name: "aws-load-balancer-controller",
      repository: "https://aws.github.io/eks-charts",
      chart: "aws-load-balancer-controller",
      version: "3.5.0",
      namespace: "kube-system",
      atomic: true,
    });
  });

  test("values: cluster, region, VPC, the role's service account, two replicas with a disruption budget on core nodes", () => {
    const values = parse(release.values[0]);
    expect(values).toMatchObject({
      clusterName: "upskill-dev",
      region: "eu-west-1",
      vpcId: "vpc-0123456789abcdef0",
      serviceAccount: { create: true, name: "aws-load-balancer-controller" },
      replicaCount: 2,
      podDisruptionBudget: { maxUnavailable: 1 },
      nodeSelector: { "upskill.io/node-class": "core" },
    });
  });

  test("the stored policy is byte for byte the published one", () => {
    expect(createHash("sha256").update(PUBLISHED_TEXT).digest("hex")).toBe(UPSTREAM_SHA256);
  });

  test("the role's policy is exactly the controller's published IAM policy", () => {
    const policy = JSON.parse(Object.values<any>(json.resource.aws_iam_role_policy)[0].policy);
    expect(policy).toEqual(PUBLISHED);
    // Sanity: the published document is the real one (several services, the tag-conditioned writes).
    expect(PUBLISHED.Statement.length).toBeGreaterThan(10);
    expect(JSON.stringify(PUBLISHED)).toContain("elasticloadbalancing:CreateLoadBalancer");
    expect(JSON.stringify(PUBLISHED)).toContain("elbv2.k8s.aws/cluster");
  });

  test("the role trusts only kube-system/aws-load-balancer-controller and is associated with it", () => {
    const role = Object.values<any>(json.resource.aws_iam_role)[0];
    expect(role.name).toBe("upskill-dev-aws-load-balancer-controller");
    expect(JSON.parse(role.assume_role_policy).Statement[0].Condition.StringEquals).toMatchObject({
      "aws:RequestTag/eks-cluster-name": "upskill-dev",
      "aws:RequestTag/kubernetes-namespace": "kube-system",
      "aws:RequestTag/kubernetes-service-account": "aws-load-balancer-controller",
    });
    expect(Object.values<any>(json.resource.aws_eks_pod_identity_association)[0]).toMatchObject({
      namespace: "kube-system",
      service_account: "aws-load-balancer-controller",
    });
  });

  test("applies the chart's CRDs before the release, which skips its own copy", () => {
    const manifests = Object.entries<any>(json.resource.kubernetes_manifest);
    expect(manifests.map(([, m]) => m.manifest.metadata.name).sort()).toEqual([
      "albtargetcontrolconfigs.elbv2.k8s.aws",
      "globalaccelerators.aga.k8s.aws",
      "ingressclassparams.elbv2.k8s.aws",
      "targetgroupbindings.elbv2.k8s.aws",
    ]);
    for (const [, m] of manifests) {
      expect(m.manifest.kind).toBe("CustomResourceDefinition");
      expect(m.field_manager).toEqual({ name: "terraform", force_conflicts: true });
    }
    // Keys of the manifest are Kubernetes' own (camelCase, x-kubernetes-*), not snake_cased.
    const tgb = manifests.find(([, m]) => m.manifest.metadata.name === "targetgroupbindings.elbv2.k8s.aws")![1];
    expect(tgb.manifest.spec.versions[0].schema.openAPIV3Schema).toBeDefined();
    expect(release.skip_crds).toBe(true);
    expect(release.depends_on).toEqual(expect.arrayContaining(manifests.map(([id]) => `kubernetes_manifest.${id}`)));
  });

  test("the stored CRDs are the chart's four, one object each", () => {
    expect(AWS_LOAD_BALANCER_CONTROLLER_CRDS).toHaveLength(4);
    for (const crd of AWS_LOAD_BALANCER_CONTROLLER_CRDS) expect(crd.apiVersion).toBe("apiextensions.k8s.io/v1");
  });

  test("refuses a chart version whose CRDs are not stored", () => {
    expect(() => synth({ version: "3.6.0" })).toThrow(/AwsLoadBalancerController lbc: chart version 3\.6\.0 needs its own CRDs; the stored ones are chart 3\.5\.0's/);
  });

  test("namespace, service account and node selector are options", () => {
    const other = synth({ namespace: "lb-system", serviceAccount: "lbc", nodeSelector: undefined });
    const r = Object.values<any>(other.resource.helm_release)[0];
    expect(r.namespace).toBe("lb-system");
    const values = parse(r.values[0]);
    expect(values.serviceAccount.name).toBe("lbc");
    expect(values.nodeSelector).toBeUndefined();
    expect(Object.values<any>(other.resource.aws_eks_pod_identity_association)[0]).toMatchObject({ namespace: "lb-system", service_account: "lbc" });
  });
});
