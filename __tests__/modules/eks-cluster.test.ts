import { Testing } from "cdktf";
import { EksCluster as EksClusterResource } from "@cdktf/provider-aws/lib/eks-cluster";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { EksCluster, type EksClusterProps } from "../../modules/eks-cluster/eks-cluster";

const BASE: EksClusterProps = {
  name: "upskill-dev",
  kubernetesVersion: "1.35",
  accountId: "111111111111",
  region: "eu-west-1",
  namePrefix: "upskill-dev",
  subnetIds: ["subnet-a", "subnet-b"],
  logRetentionDays: 30,
};

function synth(props: Partial<EksClusterProps> = {}) {
  const text = Testing.synthScope((scope) => {
    new EksCluster(scope, "eks", { ...BASE, ...props });
  });
  return { text, json: JSON.parse(text) };
}
const cluster = (json: any) => Object.values<any>(json.resource.aws_eks_cluster)[0];

describe("EksCluster", () => {
  test("defaults: API authentication, KMS secrets, all log types, no self-managed add-ons, protected", () => {
    const { text, json } = synth();
    expect(text).toHaveResourceWithProperties(EksClusterResource, {
      name: "upskill-dev",
      version: "1.35",
      access_config: { authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false },
      enabled_cluster_log_types: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
      bootstrap_self_managed_addons: false,
      deletion_protection: true,
      upgrade_policy: { support_type: "STANDARD" },
      zonal_shift_config: { enabled: true },
      lifecycle: { prevent_destroy: true },
    });
    const c = cluster(json);
    expect(c.encryption_config).toEqual({ resources: ["secrets"], provider: { key_arn: expect.stringMatching(/^\$\{aws_kms_key\.eks_secrets-key_[A-F0-9]+\.arn\}$/) } });
    expect(c.vpc_config.subnet_ids).toEqual(["subnet-a", "subnet-b"]);
  });

  test("the log group exists before the cluster, with retention and the logs key granted to CloudWatch Logs for it only", () => {
    const { text, json } = synth();
    expect(text).toHaveResourceWithProperties(CloudwatchLogGroup, { name: "/aws/eks/upskill-dev/cluster", retention_in_days: 30 });
    const group = Object.entries<any>(json.resource.aws_cloudwatch_log_group)[0];
    expect(cluster(json).depends_on).toContain(`aws_cloudwatch_log_group.${group[0]}`);
    expect(group[1].kms_key_id).toMatch(/aws_kms_key\.eks_logs-key_/);
    const logsKey = Object.entries<any>(json.resource.aws_kms_key).find(([n]) => n.includes("logs-key"))![1];
    const grant = JSON.parse(logsKey.policy).Statement[1];
    expect(grant.Principal).toEqual({ Service: "logs.eu-west-1.amazonaws.com" });
    expect(grant.Condition).toEqual({ ArnEquals: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:111111111111:log-group:/aws/eks/upskill-dev/cluster" } });
  });

  test("a given logs key replaces the one made here", () => {
    const { json } = synth({ logsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/abc" });
    expect(Object.keys(json.resource.aws_kms_key)).toEqual([expect.stringContaining("secrets-key")]);
    expect(Object.values<any>(json.resource.aws_cloudwatch_log_group)[0].kms_key_id).toBe("arn:aws:kms:eu-west-1:111111111111:key/abc");
  });

  test("public endpoint off without CIDRs", () => {
    const vpc = cluster(synth().json).vpc_config;
    expect(vpc).toMatchObject({ endpoint_private_access: true, endpoint_public_access: false });
    expect(vpc.public_access_cidrs).toBeUndefined();
  });

  test("public endpoint on only for the given CIDRs", () => {
    const vpc = cluster(synth({ publicAccessCidrs: ["203.0.113.0/24"] }).json).vpc_config;
    expect(vpc).toMatchObject({ endpoint_private_access: true, endpoint_public_access: true, public_access_cidrs: ["203.0.113.0/24"] });
  });

  test("the cluster role holds the EKS cluster policy and the use of the secrets key only", () => {
    const { json } = synth();
    const role = Object.values<any>(json.resource.aws_iam_role)[0];
    expect(role.name).toBe("upskill-dev-eks-cluster");
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({ Service: "eks.amazonaws.com" });
    expect(Object.values<any>(json.resource.aws_iam_role_policy_attachment).map((a) => a.policy_arn)).toEqual(["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"]);
    const inline = JSON.parse(Object.values<any>(json.resource.aws_iam_role_policy)[0].policy);
    expect(inline.Statement).toEqual([
      { Sid: "UseSecretsKey", Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"], Resource: expect.stringMatching(/aws_kms_key\.eks_secrets-key_/) },
    ]);
  });

  test("admin roles get an access entry and a cluster-scoped cluster-admin policy each", () => {
    const admins = ["arn:aws:iam::111111111111:role/upskill-dev-ci-deploy", "arn:aws:iam::111111111111:role/ops/platform-admins"];
    const { text, json } = synth({ adminRoleArns: admins });
    expect(Object.values<any>(json.resource.aws_eks_access_entry).map((e) => [e.principal_arn, e.type]).sort()).toEqual(admins.map((a) => [a, "STANDARD"]).sort());
    expect(text).toHaveResourceWithProperties(EksAccessPolicyAssociation, {
      policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
      access_scope: { type: "cluster" },
    });
    expect(Object.keys(json.resource.aws_eks_access_policy_association)).toHaveLength(2);
    expect(synth().json.resource.aws_eks_access_entry).toBeUndefined();
  });

  test("viewer roles get an access entry in the planners' group and no EKS access policy (no cluster-wide Secrets); none by default", () => {
    const viewer = "arn:aws:iam::111111111111:role/upskill-dev-ci-plan";
    const { json } = synth({ viewerRoleArns: [viewer] });
    expect(json.resource.aws_eks_access_policy_association).toBeUndefined();
    expect(Object.values<any>(json.resource.aws_eks_access_entry)).toEqual([expect.objectContaining({ principal_arn: viewer, kubernetes_groups: ["upskill:ci-planners"] })]);
    expect(() => synth({ adminRoleArns: [viewer], viewerRoleArns: [viewer] })).toThrow(/both admin and viewer/);
  });

  test("options: extended support, no deletion protection, no zonal shift, extra security groups", () => {
    const c = cluster(synth({ supportType: "EXTENDED", deletionProtection: false, zonalShift: false, additionalSecurityGroupIds: ["sg-1"] }).json);
    expect(c.upgrade_policy).toEqual({ support_type: "EXTENDED" });
    expect(c.deletion_protection).toBe(false);
    expect(c.zonal_shift_config).toEqual({ enabled: false });
    expect(c.vpc_config.security_group_ids).toEqual(["sg-1"]);
  });

  test("refuses bad props with a message that says what to change", () => {
    expect(() => synth({ name: "-bad" })).toThrow(/name must be 1-100 letters/);
    expect(() => synth({ kubernetesVersion: "latest" })).toThrow(/kubernetesVersion must be a minor version/);
    expect(() => synth({ subnetIds: ["subnet-a"] })).toThrow(/at least two AZs/);
    expect(() => synth({ publicAccessCidrs: ["0.0.0.0/0"] })).toThrow(/whole internet/);
    expect(() => synth({ publicAccessCidrs: ["office"] })).toThrow(/not an IPv4 CIDR/);
    expect(() => synth({ adminRoleArns: ["arn:aws:iam::111111111111:user/alice"] })).toThrow(/literal IAM role ARNs/);
    expect(() => synth({ adminRoleArns: ["arn:aws:iam::111111111111:role/a", "arn:aws:iam::111111111111:role/x/a"] })).toThrow(/listed twice/);
  });

  test("API clients' security groups (the CI runners') are admitted on 443 by the cluster security group, one rule each", () => {
    const { json } = synth({ apiClientSecurityGroupIds: { "ci-runners": "sg-runners" } });
    const rules = Object.values<any>(json.resource.aws_vpc_security_group_ingress_rule ?? {});
    expect(rules).toEqual([
      expect.objectContaining({
        security_group_id: expect.stringMatching(/^\$\{aws_eks_cluster\.eks_cluster_[A-F0-9]+\.vpc_config\[0\]\.cluster_security_group_id\}$/),
        referenced_security_group_id: "sg-runners",
        ip_protocol: "tcp",
        from_port: 443,
        to_port: 443,
      }),
    ]);
    expect(synth().json.resource.aws_vpc_security_group_ingress_rule).toBeUndefined();
    expect(() => synth({ apiClientSecurityGroupIds: { "CI Runners": "sg-1" } })).toThrow(/apiClientSecurityGroupIds key "CI Runners"/);
  });

  test("the private endpoint can be turned off only with a public one; 0.0.0.0/0 only with a reason, recorded as the policy suppression", () => {
    expect(cluster(synth({ endpointPrivateAccess: false, publicAccessCidrs: ["52.94.0.0/22"] }).json).vpc_config.endpoint_private_access).toBe(false);
    expect(() => synth({ endpointPrivateAccess: false })).toThrow(/no API endpoint/);
    expect(() => synth({ publicAccessCidrs: ["0.0.0.0/0"], openPublicEndpointReason: "short" })).toThrow(/openPublicEndpointReason must say why/);
    let stackJson: any;
    Testing.synthScope((scope) => {
      const eks = new EksCluster(scope, "eks", { ...BASE, publicAccessCidrs: ["0.0.0.0/0"], openPublicEndpointReason: "GitHub-hosted runners of a test environment" });
      stackJson = eks.cluster.toTerraform();
    });
    expect(Object.values<any>(stackJson.resource.aws_eks_cluster)[0]["//"].suppressions).toEqual([{ rule: "eks-public-endpoint", reason: "GitHub-hosted runners of a test environment" }]);
  });
});
