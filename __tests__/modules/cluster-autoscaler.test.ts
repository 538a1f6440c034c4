import { Testing } from "cdktf";
import { parse } from "yaml";
import {
  ClusterAutoscaler,
  clusterAutoscalerStatements,
  expanderPriorities,
  type ClusterAutoscalerProps,
} from "../../modules/helm-addon/cluster-autoscaler/cluster-autoscaler";

const BASE: ClusterAutoscalerProps = {
  version: "9.59.0",
  imageTag: "v1.35.0",
  clusterName: "upskill-prod",
  region: "eu-west-1",
  accountId: "333333333333",
  roleName: "upskill-prod-cluster-autoscaler",
  nodeGroups: [
    { autoscalingGroupName: "eks-upskill-prod-core-0ac6e4a5-1111-2222-3333-444455556666", capacityType: "ON_DEMAND" },
    { autoscalingGroupName: "eks-upskill-prod-spot-1bd7f5b6-1111-2222-3333-444455556666", capacityType: "SPOT" },
  ],
  fileValues: { extraArgs: { "balance-similar-node-groups": true, expander: "priority,least-waste", "skip-nodes-with-system-pods": false } },
  nodeSelector: { "upskill.io/node-class": "core" },
};

function synth(props: Partial<ClusterAutoscalerProps> = {}) {
  return JSON.parse(
    Testing.synthScope((scope) => {
      new ClusterAutoscaler(scope, "ca", { ...BASE, ...props });
    }),
  );
}

const WRITE_ACTIONS = ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"];

describe("ClusterAutoscaler", () => {
  const json = synth();
  const release = Object.values<any>(json.resource.helm_release)[0];
  const values = parse(release.values[0]);

  test("installs the pinned chart from the autoscaler's repository", () => {
    expect(release).toMatchObject({
      name: "cluster-autoscaler",
      repository: "https://kubernetes.github.io/autoscaler",
      chart: "cluster-autoscaler",
      version: "9.59.0",
      namespace: "kube-system",
    });
  });

  test("values: auto-discovery, region, the role's service account, image tag, core nodes, file values kept", () => {
    expect(values).toMatchObject({
      cloudProvider: "aws",
      autoDiscovery: { clusterName: "upskill-prod" },
      awsRegion: "eu-west-1",
      rbac: { serviceAccount: { create: true, name: "cluster-autoscaler" } },
      image: { tag: "v1.35.0" },
      nodeSelector: { "upskill.io/node-class": "core" },
      extraArgs: { "balance-similar-node-groups": true, expander: "priority,least-waste", "skip-nodes-with-system-pods": false },
    });
  });

  test("the priority expander prefers Spot groups, then on-demand, then anything", () => {
    expect(values.expanderPriorities).toEqual({
      "50": ["^eks-upskill-prod-spot-1bd7f5b6-1111-2222-3333-444455556666$"],
      "10": ["^eks-upskill-prod-core-0ac6e4a5-1111-2222-3333-444455556666$"],
      "1": [".*"],
    });
  });

  test("expander regexes escape literal names and keep references as they are", () => {
    expect(expanderPriorities([{ autoscalingGroupName: "a.b", capacityType: "SPOT" }])["50"]).toEqual(["^a\\.b$"]);
  });

  test("reads every group but scales only groups tagged as owned by this cluster", () => {
    const statements = JSON.parse(Object.values<any>(json.resource.aws_iam_role_policy)[0].policy).Statement;
    expect(statements).toEqual(clusterAutoscalerStatements("upskill-prod"));
    const read = statements.find((s: any) => s.Sid === "DescribeScalingResources");
    expect(read.Resource).toBe("*");
    expect(read.Condition).toBeUndefined();
    expect(read.Action.every((a: string) => /^(autoscaling|ec2|eks):(Describe|Get)/.test(a))).toBe(true);
    expect(read.Action).toEqual(
      expect.arrayContaining(["autoscaling:DescribeAutoScalingGroups", "ec2:DescribeLaunchTemplateVersions", "ec2:GetInstanceTypesFromInstanceRequirements", "eks:DescribeNodegroup"]),
    );
    const writers = statements.filter((s: any) => [s.Action].flat().some((a: string) => WRITE_ACTIONS.includes(a)));
    expect(writers).toHaveLength(1);
    expect(writers[0].Action).toEqual(WRITE_ACTIONS);
    expect(writers[0].Condition).toEqual({ StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/upskill-prod": "owned" } });
  });

  test("the role trusts only kube-system/cluster-autoscaler", () => {
    const trust = JSON.parse(Object.values<any>(json.resource.aws_iam_role)[0].assume_role_policy).Statement[0].Condition.StringEquals;
    expect(trust).toMatchObject({ "aws:RequestTag/kubernetes-namespace": "kube-system", "aws:RequestTag/kubernetes-service-account": "cluster-autoscaler" });
  });

  test("refuses a malformed image tag and an empty list of node groups", () => {
    expect(() => synth({ imageTag: "1.35" })).toThrow('ClusterAutoscaler ca: imageTag must look like v1.35.0, got "1.35"');
    expect(() => synth({ nodeGroups: [] })).toThrow("ClusterAutoscaler ca: give the cluster's node groups (nodeGroups is empty)");
  });
});
