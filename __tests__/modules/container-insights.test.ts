import { Testing } from "cdktf";
import { ContainerInsights, type ContainerInsightsProps } from "../../modules/container-insights/container-insights";

const BASE: ContainerInsightsProps = {
  clusterName: "upskill-dev",
  kubernetesVersion: "1.35",
  accountId: "111111111111",
  namePrefix: "upskill-dev",
  logRetentionDays: 30,
  logsKmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/logs",
};
const synth = (props: Partial<ContainerInsightsProps> = {}) => JSON.parse(Testing.synthScope((s) => new ContainerInsights(s, "ci", { ...BASE, ...props })));

describe("ContainerInsights", () => {
  const json = synth();

  test("the amazon-cloudwatch-observability add-on runs as its Pod Identity role", () => {
    const addon = Object.values(json.resource.aws_eks_addon)[0] as any;
    const roleName = Object.keys(json.resource.aws_iam_role)[0];
    expect(addon).toMatchObject({
      cluster_name: "upskill-dev",
      addon_name: "amazon-cloudwatch-observability",
      pod_identity_association: [{ service_account: "cloudwatch-agent", role_arn: `\${aws_iam_role.${roleName}.arn}` }],
      resolve_conflicts_on_create: "OVERWRITE",
    });
    // Unpinned: EKS's default version for the cluster's Kubernetes version.
    expect(Object.values(json.data.aws_eks_addon_version)[0]).toMatchObject({ addon_name: "amazon-cloudwatch-observability", kubernetes_version: "1.35" });
    expect(json.resource.aws_eks_pod_identity_association).toBeUndefined();
  });

  test("the role trusts only amazon-cloudwatch/cloudwatch-agent on the cluster and has the documented policies", () => {
    const role = Object.values(json.resource.aws_iam_role)[0] as any;
    expect(role.name).toBe("upskill-dev-cloudwatch-agent");
    const trust = JSON.parse(role.assume_role_policy).Statement[0];
    expect(trust.Principal).toEqual({ Service: "pods.eks.amazonaws.com" });
    expect(trust.Condition.StringEquals).toMatchObject({
      "aws:RequestTag/eks-cluster-name": "upskill-dev",
      "aws:RequestTag/kubernetes-namespace": "amazon-cloudwatch",
      "aws:RequestTag/kubernetes-service-account": "cloudwatch-agent",
    });
    const policies = (Object.values(json.resource.aws_iam_role_policy_attachment) as any[]).map((a) => a.policy_arn).sort();
    // Not CloudWatchAgentServerPolicy: it writes into every log group of the account.
    expect(policies).toEqual(["arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"]);
    const inline = JSON.parse((Object.values(json.resource.aws_iam_role_policy) as any[])[0].policy).Statement;
    const writes = inline.find((s: any) => s.Sid === "WriteContainerInsightsLogGroupsOnly");
    expect(writes.Resource).toHaveLength(8);
    for (const r of writes.Resource) expect(r).toMatch(/^\$\{aws_cloudwatch_log_group\.[\w-]*log-group-[a-z]+_[^.]+\.arn\}(:\*)?$/);
  });

  test("declares the add-on's log groups with retention and the logs key, before the add-on", () => {
    const groups = json.resource.aws_cloudwatch_log_group;
    expect((Object.values(groups) as any[]).map((g) => g.name).sort()).toEqual(
      ["application", "dataplane", "host", "performance"].map((k) => `/aws/containerinsights/upskill-dev/${k}`),
    );
    for (const g of Object.values(groups) as any[]) expect(g).toMatchObject({ retention_in_days: 30, kms_key_id: BASE.logsKmsKeyArn });
    const addon = Object.values(json.resource.aws_eks_addon)[0] as any;
    expect(addon.depends_on.sort()).toEqual(Object.keys(groups).map((n) => `aws_cloudwatch_log_group.${n}`).sort());
  });

  test("a pinned version is used as is", () => {
    const pinned = synth({ addonVersion: "v4.5.0-eksbuild.1" });
    expect((Object.values(pinned.resource.aws_eks_addon)[0] as any).addon_version).toBe("v4.5.0-eksbuild.1");
    expect(pinned.data).toBeUndefined();
  });

  test("refuses a retention that is not a period", () => {
    expect(() => synth({ logRetentionDays: 0 })).toThrow(/logRetentionDays must be/);
  });
});
