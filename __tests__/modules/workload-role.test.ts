import { Testing } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { EksPodIdentityAssociation } from "@cdktf/provider-aws/lib/eks-pod-identity-association";
import { WorkloadRole, type WorkloadRoleProps } from "../../modules/workload-role/workload-role";

const BASE: WorkloadRoleProps = {
  name: "upskill-dev-ebs-csi",
  clusterName: "upskill-dev",
  accountId: "111111111111",
  namespace: "kube-system",
  serviceAccount: "ebs-csi-controller-sa",
  statements: [{ Sid: "Describe", Effect: "Allow", Action: ["ec2:DescribeVolumes"], Resource: "*" }],
};

function synthRole(props: Partial<WorkloadRoleProps> = {}) {
  return JSON.parse(
    Testing.synthScope((scope) => {
      new WorkloadRole(scope, "ebs-csi", { ...BASE, ...props });
    }),
  );
}

describe("WorkloadRole", () => {
  test("trusts Pod Identity only for its namespace, service account, cluster and account", () => {
    const json = synthRole();
    const role = Object.values<any>(json.resource.aws_iam_role)[0];
    expect(role.name).toBe("upskill-dev-ebs-csi");
    const trust = JSON.parse(role.assume_role_policy);
    expect(trust.Statement).toEqual([
      {
        Sid: "EksPodIdentityForOneServiceAccount",
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: {
          StringEquals: {
            "aws:SourceAccount": "111111111111",
            "aws:RequestTag/eks-cluster-name": "upskill-dev",
            "aws:RequestTag/kubernetes-namespace": "kube-system",
            "aws:RequestTag/kubernetes-service-account": "ebs-csi-controller-sa",
          },
        },
      },
    ]);
  });

  test("holds its statements in an inline policy and associates the service account", () => {
    const json = synthRole();
    const policy = Object.values<any>(json.resource.aws_iam_role_policy)[0];
    expect(JSON.parse(policy.policy).Statement).toEqual(BASE.statements);
    expect(policy.role).toMatch(/aws_iam_role\.ebs-csi_role_[A-F0-9]+\.name/);
    const association = Object.values<any>(json.resource.aws_eks_pod_identity_association);
    expect(association).toHaveLength(1);
    expect(association[0]).toMatchObject({ cluster_name: "upskill-dev", namespace: "kube-system", service_account: "ebs-csi-controller-sa" });
    expect(association[0].role_arn).toMatch(/aws_iam_role\.ebs-csi_role_[A-F0-9]+\.arn/);
  });

  test("attaches managed policies and can leave the association to an add-on", () => {
    const synth = Testing.synthScope((scope) => {
      new WorkloadRole(scope, "cni", {
        ...BASE,
        name: "upskill-dev-vpc-cni",
        serviceAccount: "aws-node",
        statements: undefined,
        managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"],
        createAssociation: false,
      });
    });
    expect(synth).toHaveResourceWithProperties(IamRolePolicyAttachment, { policy_arn: "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy" });
    expect(synth).not.toHaveResource(EksPodIdentityAssociation);
    expect(JSON.parse(synth).resource.aws_iam_role_policy).toBeUndefined();
    expect(synth).toHaveResourceWithProperties(IamRole, { name: "upskill-dev-vpc-cni" });
  });

  test("refuses bad props with a message that says what to change", () => {
    expect(() => synthRole({ name: "x".repeat(65) })).toThrow(/name must be 1-64 characters/);
    expect(() => synthRole({ namespace: "Kube_System" })).toThrow(/namespace must be a Kubernetes name/);
    expect(() => synthRole({ serviceAccount: "SA" })).toThrow(/serviceAccount must be a Kubernetes name/);
    expect(() => synthRole({ accountId: "1" })).toThrow(/accountId must be 12 digits/);
    expect(() => synthRole({ statements: [{ Effect: "Allow", Action: "*", Resource: "*" }] })).toThrow(/allows every action on every resource/);
    expect(() => synthRole({ statements: [] })).toThrow(/give statements or managedPolicyArns/);
    const huge = Array.from({ length: 400 }, (_, i) => ({ Effect: "Allow" as const, Action: `s3:GetObject`, Resource: `arn:aws:s3:::bucket-${i}/*` }));
    expect(() => synthRole({ statements: huge })).toThrow(/more than IAM's 10240/);
  });
});
