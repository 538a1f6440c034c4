import { Testing } from "cdktf";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { ManagedAddon } from "../../modules/eks-addons/managed-addon";
import { NodeAddons } from "../../modules/eks-addons/node-addons";
import { ServiceAddons } from "../../modules/eks-addons/service-addons";

const COMMON = { clusterName: "upskill-dev", kubernetesVersion: "1.35", accountId: "111111111111", namePrefix: "upskill-dev" };
const EBS_KEY = "arn:aws:kms:eu-west-1:111111111111:key/ebs";

const byName = (json: any, type: string) => Object.fromEntries(Object.values<any>(json.resource[type] ?? {}).map((r) => [r.addon_name ?? r.name, r]));

describe("ManagedAddon", () => {
  test("without a pin, installs EKS's default version for the cluster's Kubernetes version, overwriting conflicts", () => {
    const text = Testing.synthScope((scope) => void new ManagedAddon(scope, "coredns", { clusterName: "c", addonName: "coredns", kubernetesVersion: "1.35" }));
    const json = JSON.parse(text);
    const lookup = Object.entries<any>(json.data.aws_eks_addon_version)[0];
    expect(lookup[1]).toEqual({ addon_name: "coredns", kubernetes_version: "1.35", most_recent: false });
    expect(text).toHaveResourceWithProperties(EksAddon, {
      addon_name: "coredns",
      addon_version: `\${data.aws_eks_addon_version.${lookup[0]}.version}`,
      resolve_conflicts_on_create: "OVERWRITE",
      resolve_conflicts_on_update: "OVERWRITE",
    });
  });

  test("a pinned version is used as is, without a lookup; configuration is JSON", () => {
    const json = JSON.parse(
      Testing.synthScope(
        (scope) => void new ManagedAddon(scope, "coredns", { clusterName: "c", addonName: "coredns", kubernetesVersion: "1.35", version: "v1.12.4-eksbuild.1", configuration: { replicaCount: 3 } }),
      ),
    );
    expect(json.data).toBeUndefined();
    expect(Object.values<any>(json.resource.aws_eks_addon)[0]).toMatchObject({ addon_version: "v1.12.4-eksbuild.1", configuration_values: '{"replicaCount":3}' });
  });

  test("refuses a version that is not an add-on version", () => {
    expect(() => Testing.synthScope((scope) => void new ManagedAddon(scope, "x", { clusterName: "c", addonName: "coredns", kubernetesVersion: "1.35", version: "1.12" }))).toThrow(
      /version must be an EKS add-on version such as v1.20.4-eksbuild.1, got "1.12"/,
    );
  });
});

describe("NodeAddons", () => {
  const json = JSON.parse(Testing.synthScope((scope) => void new NodeAddons(scope, "node-addons", COMMON)));
  const addons = byName(json, "aws_eks_addon");

  test("the Pod Identity agent, kube-proxy and the VPC CNI", () => {
    expect(Object.keys(addons).sort()).toEqual(["eks-pod-identity-agent", "kube-proxy", "vpc-cni"]);
  });

  test("the VPC CNI runs as its own role holding AmazonEKS_CNI_Policy, bound by the add-on, after the agent", () => {
    const cni = addons["vpc-cni"];
    expect(cni.pod_identity_association).toEqual([{ service_account: "aws-node", role_arn: expect.stringMatching(/aws_iam_role\.node-addons_vpc-cni-role_/) }]);
    expect(cni.depends_on).toEqual([expect.stringMatching(/^aws_eks_addon\.node-addons_eks-pod-identity-agent_addon_/)]);
    const role = Object.values<any>(json.resource.aws_iam_role)[0];
    expect(role.name).toBe("upskill-dev-vpc-cni");
    expect(JSON.parse(role.assume_role_policy).Statement[0].Condition.StringEquals).toMatchObject({
      "aws:RequestTag/kubernetes-namespace": "kube-system",
      "aws:RequestTag/kubernetes-service-account": "aws-node",
    });
    expect(Object.values<any>(json.resource.aws_iam_role_policy_attachment).map((a) => a.policy_arn)).toEqual(["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"]);
    // The add-on makes the association; a second one would conflict.
    expect(json.resource.aws_eks_pod_identity_association).toBeUndefined();
  });

  test("pinned versions", () => {
    const pinned = JSON.parse(
      Testing.synthScope((scope) => void new NodeAddons(scope, "n", { ...COMMON, versions: { vpcCni: "v1.20.4-eksbuild.1", kubeProxy: "v1.35.0-eksbuild.2", podIdentityAgent: "v1.3.8-eksbuild.2" } })),
    );
    expect(Object.values<any>(pinned.resource.aws_eks_addon).map((a) => a.addon_version).sort()).toEqual(["v1.20.4-eksbuild.1", "v1.3.8-eksbuild.2", "v1.35.0-eksbuild.2"]);
    expect(pinned.data).toBeUndefined();
  });
});

describe("ServiceAddons", () => {
  const json = JSON.parse(Testing.synthScope((scope) => void new ServiceAddons(scope, "service-addons", { ...COMMON, ebsKmsKeyArn: EBS_KEY })));
  const addons = byName(json, "aws_eks_addon");

  test("CoreDNS, the EBS CSI driver and the snapshot controller", () => {
    expect(Object.keys(addons).sort()).toEqual(["aws-ebs-csi-driver", "coredns", "snapshot-controller"]);
  });

  test("the EBS CSI driver runs as its own role with AmazonEBSCSIDriverPolicy and the use of the EBS key; its node plugin tolerates every taint", () => {
    const csi = addons["aws-ebs-csi-driver"];
    expect(csi.pod_identity_association).toEqual([{ service_account: "ebs-csi-controller-sa", role_arn: expect.stringMatching(/aws_iam_role\.service-addons_ebs-csi-role_/) }]);
    expect(JSON.parse(csi.configuration_values)).toEqual({ node: { tolerateAllTaints: true } });
    const role = Object.values<any>(json.resource.aws_iam_role)[0];
    expect(role.name).toBe("upskill-dev-ebs-csi");
    expect(Object.values<any>(json.resource.aws_iam_role_policy_attachment).map((a) => a.policy_arn)).toEqual(["arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"]);
    const policy = JSON.parse(Object.values<any>(json.resource.aws_iam_role_policy)[0].policy);
    expect(policy.Statement).toEqual([
      {
        Sid: "GrantsForEncryptedVolumes",
        Effect: "Allow",
        Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
        Resource: EBS_KEY,
        Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
      },
      { Sid: "UseVolumeKey", Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"], Resource: EBS_KEY },
    ]);
  });

  test("waits for what it is given (the node groups)", () => {
    const withDeps = JSON.parse(
      Testing.synthScope((scope) => {
        const nodes = new ManagedAddon(scope, "stand-in", { clusterName: "c", addonName: "kube-proxy", kubernetesVersion: "1.35", version: "v1.35.0-eksbuild.2" });
        new ServiceAddons(scope, "s", { ...COMMON, ebsKmsKeyArn: EBS_KEY, dependsOn: [nodes.addon] });
      }),
    );
    const deps = Object.values<any>(withDeps.resource.aws_eks_addon).filter((a) => a.addon_name !== "kube-proxy").map((a) => a.depends_on);
    expect(deps).toEqual(Array(3).fill([expect.stringMatching(/^aws_eks_addon\.stand-in_addon_/)]));
  });
});
