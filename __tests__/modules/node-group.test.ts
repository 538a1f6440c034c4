import { Testing } from "cdktf";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { NodeGroup, type NodeGroupProps } from "../../modules/node-group/node-group";
import { NodeRole } from "../../modules/node-group/node-role";
import { cpuArchitecture, instanceSize } from "../../modules/node-group/instance-types";

const BASE: NodeGroupProps = {
  clusterName: "upskill-dev",
  name: "upskill-dev-core",
  nodeRoleArn: "arn:aws:iam::111111111111:role/upskill-dev-eks-node",
  subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
  securityGroupIds: ["sg-nodes", "sg-cluster"],
  ebsKmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/ebs",
  capacityType: "ON_DEMAND",
  instanceTypes: ["m7i.large"],
  minSize: 1,
  desiredSize: 2,
  maxSize: 3,
};

function synth(props: Partial<NodeGroupProps> = {}) {
  const text = Testing.synthScope((scope) => {
    new NodeGroup(scope, "core", { ...BASE, ...props });
  });
  const json = JSON.parse(text);
  return { text, json, group: Object.values<any>(json.resource.aws_eks_node_group)[0], template: Object.values<any>(json.resource.aws_launch_template)[0] };
}

describe("NodeGroup", () => {
  test("launch template: IMDSv2 required with hop limit 1 (pods cannot reach the node's credentials), encrypted gp3 root volume, the given security groups", () => {
    const { text, template } = synth();
    expect(text).toHaveResourceWithProperties(LaunchTemplate, {
      name: "upskill-dev-core",
      vpc_security_group_ids: ["sg-nodes", "sg-cluster"],
      metadata_options: { http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1, instance_metadata_tags: "disabled" },
    });
    expect(template.block_device_mappings).toEqual([
      {
        device_name: "/dev/xvda",
        ebs: { volume_size: 50, volume_type: "gp3", encrypted: "true", kms_key_id: "arn:aws:kms:eu-west-1:111111111111:key/ebs", delete_on_termination: "true" },
      },
    ]);
    expect(template.tag_specifications.map((t: any) => t.resource_type)).toEqual(["instance", "volume", "network-interface"]);
    expect(template.tag_specifications[0].tags).toEqual({ Name: "upskill-dev-core" });
  });

  test("node group: sizes, every subnet, the launch template's latest version, update bound, AL2023, node repair", () => {
    const { text, group } = synth();
    expect(text).toHaveResourceWithProperties(EksNodeGroup, {
      cluster_name: "upskill-dev",
      node_group_name: "upskill-dev-core",
      capacity_type: "ON_DEMAND",
      instance_types: ["m7i.large"],
      ami_type: "AL2023_x86_64_STANDARD",
      subnet_ids: ["subnet-a", "subnet-b", "subnet-c"],
      scaling_config: { min_size: 1, desired_size: 2, max_size: 3 },
      update_config: { max_unavailable_percentage: 33 },
      node_repair_config: { enabled: true },
      lifecycle: { ignore_changes: ["scaling_config[0].desired_size"], create_before_destroy: true },
    });
    expect(group.launch_template).toEqual({ id: expect.stringMatching(/aws_launch_template\..*\.id/), version: expect.stringMatching(/aws_launch_template\..*\.latest_version/) });
    expect(group.disk_size).toBeUndefined(); // the launch template owns the disk
    expect(group.labels).toBeUndefined();
    expect(group.taint).toBeUndefined();
  });

  test("carries the cluster-autoscaler discovery tags and capacity-type node template", () => {
    const { group, json } = synth();
    expect(group.tags).toEqual({
      "k8s.io/cluster-autoscaler/enabled": "true",
      "k8s.io/cluster-autoscaler/upskill-dev": "owned",
      "k8s.io/cluster-autoscaler/node-template/label/eks.amazonaws.com/capacityType": "ON_DEMAND",
    });
    const asgTags = Object.values<any>(json.resource.aws_autoscaling_group_tag);
    expect(asgTags.map((t) => t.tag)).toEqual([{ key: "k8s.io/cluster-autoscaler/node-template/label/eks.amazonaws.com/capacityType", value: "ON_DEMAND", propagate_at_launch: false }]);
    expect(asgTags[0].autoscaling_group_name).toMatch(/aws_eks_node_group\..*\.resources\[0\]\.autoscaling_groups\[0\]\.name/);
  });

  test("Spot with labels and taints: the API's effect names on the group, Kubernetes' in the node-template tags", () => {
    const { group, json } = synth({
      capacityType: "SPOT",
      instanceTypes: ["m7i.large", "m6i.large"],
      labels: { "upskill.io/node-class": "spot" },
      taints: [{ key: "upskill.io/spot", value: "true", effect: "NO_SCHEDULE" }, { key: "drain", effect: "NO_EXECUTE" }],
    });
    expect(group.capacity_type).toBe("SPOT");
    expect(group.labels).toEqual({ "upskill.io/node-class": "spot" });
    expect(group.taint).toEqual([{ key: "upskill.io/spot", value: "true", effect: "NO_SCHEDULE" }, { key: "drain", effect: "NO_EXECUTE" }]);
    expect(group.tags).toMatchObject({
      "k8s.io/cluster-autoscaler/node-template/label/upskill.io/node-class": "spot",
      "k8s.io/cluster-autoscaler/node-template/taint/upskill.io/spot": "true:NoSchedule",
      "k8s.io/cluster-autoscaler/node-template/taint/drain": ":NoExecute",
    });
    expect(Object.values<any>(json.resource.aws_autoscaling_group_tag)).toHaveLength(4);
  });

  test("options: disk size, update bound, hop limit 2, version, tags, no node repair, Graviton AMI", () => {
    const { group, template } = synth({
      diskSizeGb: 100,
      maxUnavailablePercentage: 10,
      metadataHopLimit: 2,
      kubernetesVersion: "1.35",
      tags: { Environment: "dev" },
      nodeRepair: false,
      instanceTypes: ["m7g.large", "c7g.large"],
    });
    expect(template.block_device_mappings[0].ebs.volume_size).toBe(100);
    expect(template.metadata_options.http_put_response_hop_limit).toBe(2);
    expect(template.tag_specifications[1].tags).toEqual({ Name: "upskill-dev-core", Environment: "dev" });
    expect(group).toMatchObject({ update_config: { max_unavailable_percentage: 10 }, version: "1.35", node_repair_config: { enabled: false }, ami_type: "AL2023_ARM_64_STANDARD" });
  });

  test("refuses bad props with a message that says what to change", () => {
    expect(() => synth({ minSize: 4 })).toThrow(/minSize \(4\) must be between 0 and maxSize \(3\)/);
    expect(() => synth({ desiredSize: 9 })).toThrow(/desiredSize \(9\) must be between/);
    expect(() => synth({ instanceTypes: [] })).toThrow(/at least one instance type/);
    expect(() => synth({ instanceTypes: ["m7i.large", "m7g.large"] })).toThrow(/mix arm64 and x86_64/);
    expect(() => synth({ name: "x".repeat(64) })).toThrow(/name must be 1-63/);
    expect(() => synth({ diskSizeGb: 8 })).toThrow(/diskSizeGb must be a whole number of at least 20/);
    expect(() => synth({ securityGroupIds: [] })).toThrow(/node and cluster security groups/);
  });
});

describe("NodeRole", () => {
  test("EC2 trust with the worker, ECR pull and SSM policies, and never the CNI policy", () => {
    const json = JSON.parse(Testing.synthScope((scope) => void new NodeRole(scope, "nodes", { name: "upskill-dev-eks-node" })));
    const role = Object.values<any>(json.resource.aws_iam_role)[0];
    expect(role.name).toBe("upskill-dev-eks-node");
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({ Service: "ec2.amazonaws.com" });
    expect(Object.values<any>(json.resource.aws_iam_role_policy_attachment).map((a) => a.policy_arn).sort()).toEqual([
      "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
      "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
      "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    ]);
  });
});

describe("instance types", () => {
  test("architecture from the family, size after the dot", () => {
    expect(["m7i.large", "m6a.xlarge", "t3.medium", "g5.xlarge", "m5dn.large", "u7i-12tb.224xlarge"].map(cpuArchitecture)).toEqual(Array(6).fill("x86_64"));
    expect(["m7g.large", "c6gn.xlarge", "t4g.small", "r8gd.2xlarge", "im4gn.large", "is4gen.large", "g5g.xlarge"].map(cpuArchitecture)).toEqual(Array(7).fill("arm64"));
    expect(instanceSize("m7i.2xlarge")).toBe("2xlarge");
    expect(() => instanceSize("large")).toThrow(/not an EC2 instance type/);
  });
});

describe("NodeGroup in one AZ", () => {
  test("tags the node template's zone (both topology keys) so the autoscaler can scale it from zero for that zone", () => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        new NodeGroup(scope, "g", { ...BASE, subnetIds: ["subnet-b"], availabilityZone: "eu-west-1b" });
      }),
    );
    const group = Object.values<any>(json.resource.aws_eks_node_group)[0];
    expect(group.tags).toMatchObject({
      "k8s.io/cluster-autoscaler/node-template/label/topology.kubernetes.io/zone": "eu-west-1b",
      "k8s.io/cluster-autoscaler/node-template/label/topology.ebs.csi.aws.com/zone": "eu-west-1b",
    });
    const asgTags = Object.values<any>(json.resource.aws_autoscaling_group_tag).map((t) => t.tag.key);
    expect(asgTags).toContain("k8s.io/cluster-autoscaler/node-template/label/topology.kubernetes.io/zone");
  });
});
