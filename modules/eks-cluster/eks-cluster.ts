import { Construct } from "constructs";
import { Token, type TerraformProvider } from "cdktf";
import { EksCluster as EksClusterResource } from "@cdktf/provider-aws/lib/eks-cluster";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { KmsKey } from "../kms-key/kms-key";
import { ClusterAdminAccess } from "./admin-access";
import { PLANNER_GROUP } from "../planner-access/planner-access";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { suppress } from "../../tools/policy/suppress";

/** Every control-plane log type EKS can send to CloudWatch Logs. */

/** The AWS managed policy of the cluster role. */
export const EKS_CLUSTER_POLICY = "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy";
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

export interface EksClusterProps {
  /** Cluster name (1-100 letters, digits, '-', '_'). */
  readonly name: string;
  /** Kubernetes minor version, e.g. "1.35". */
  readonly kubernetesVersion: string;
  readonly accountId: string;
  /** The region of the stack's provider (log group ARNs in key policies). */
  readonly region: string;
  /** `<project>-<env>`: names the cluster role and the KMS key aliases. */
  readonly namePrefix: string;
  /** Private subnets, one or more per AZ, where the control plane places its network interfaces. */
  readonly subnetIds: readonly string[];
  /** CIDRs allowed to reach the public API endpoint. Default: none, and the public endpoint is off. */
  readonly publicAccessCidrs?: readonly string[];
  /**
   * Why the public endpoint may be open to 0.0.0.0/0 (the only way GitHub-hosted runners reach
   * it; non-production only, config rule ciReachesCluster). Recorded as the suppression of the
   * eks-public-endpoint policy rule. Default: none, and 0.0.0.0/0 is refused.
   */
  readonly openPublicEndpointReason?: string;
  /** The private API endpoint (nodes, CI runners in the VPC). Default: true. */
  readonly endpointPrivateAccess?: boolean;
  /**
   * Security groups whose members reach the API on 443 through the private endpoint (e.g. the
   * CI runners'); one ingress rule each on the cluster security group. Default: none.
   */
  readonly apiClientSecurityGroupIds?: Readonly<Record<string, string>>;
  /** IAM role ARNs given cluster-admin through access entries. Default: none. */
  readonly adminRoleArns?: readonly string[];
  /** IAM role ARNs given read-only access (AmazonEKSAdminViewPolicy), e.g. the CI plan role. Default: none. */
  readonly viewerRoleArns?: readonly string[];
  /** Retention of the control-plane log group (a CloudWatch Logs retention period). */
  readonly logRetentionDays: number;
  /** Key of the control-plane log group. Default: a key created here, granted to CloudWatch Logs for that log group only. */
  readonly logsKeyArn?: string;
  /** What EKS does at the end of standard support. Default: "STANDARD" (automatic upgrade, no extended-support charge). */
  readonly supportType?: "STANDARD" | "EXTENDED";
  /** Whether EKS refuses to delete the cluster. Default: true. */
  readonly deletionProtection?: boolean;
  /** Whether ARC zonal shift may move traffic away from an impaired AZ. Default: true. */
  readonly zonalShift?: boolean;
  /** Extra security groups for the control plane's network interfaces. Default: none (EKS's cluster security group only). */
  readonly additionalSecurityGroupIds?: readonly string[];
  /** Default: the stack's default AWS provider. */
  readonly provider?: TerraformProvider;
}

/**
 * An EKS cluster: API authentication with access entries (no aws-auth ConfigMap,
 * no implicit admin for the creator), private endpoint on by default and the public
 * one only for the given CIDRs, Kubernetes secrets envelope-encrypted with a KMS
 * key, every control-plane log type into a KMS-encrypted log group with retention,
 * no self-managed add-ons (the managed add-ons replace them), deletion protection
 * and `prevent_destroy`.
 */
export class EksCluster extends Construct {
  readonly cluster: EksClusterResource;
  /** The cluster's name, as a reference (resources using it wait for the cluster). */
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly endpoint: string;
  readonly certificateAuthorityData: string;
  /** The security group EKS creates for the control plane and nodes. */
  readonly clusterSecurityGroupId: string;
  /** The Kubernetes version the control plane runs (reference). */
  readonly version: string;
  readonly roleArn: string;
  readonly secretsKeyArn: string;
  readonly logsKeyArn: string;
  readonly logGroupName: string;
  readonly adminAccess: ClusterAdminAccess;
  /** Read-only access entries; undefined when no viewer role is given. */
  readonly viewerAccess?: ClusterAdminAccess;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    validate(id, props);
    const { provider, accountId } = props;
    const publicCidrs = props.publicAccessCidrs ?? [];
    const logGroupName = `/aws/eks/${props.name}/cluster`;

    const secretsKey = new KmsKey(this, "secrets-key", {
      alias: `${props.namePrefix}/eks-secrets`,
      description: `Envelope encryption of the Kubernetes secrets of EKS cluster ${props.name}`,
      accountId,
      provider,
    });
    this.secretsKeyArn = secretsKey.keyArn;

    this.logsKeyArn =
      props.logsKeyArn ??
      new KmsKey(this, "logs-key", {
        alias: `${props.namePrefix}/eks-logs`,
        description: `Control-plane logs of EKS cluster ${props.name}`,
        accountId,
        serviceGrants: [
          {
            sid: "CloudWatchLogsForTheControlPlaneLogGroup",
            service: `logs.${props.region}.amazonaws.com`,
            actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${props.region}:${accountId}:log-group:${logGroupName}` } },
          },
        ],
        provider,
      }).keyArn;

    // Declared before the cluster so that EKS does not create it without retention or key.
    const logGroup = new CloudwatchLogGroup(this, "control-plane-logs", {
      name: logGroupName,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: this.logsKeyArn,
      provider,
    });
    this.logGroupName = logGroup.name;

    const role = new IamRole(this, "role", {
      name: `${props.namePrefix}-eks-cluster`,
      description: `EKS control plane of ${props.name}`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
      }),
      provider,
    });
    const clusterPolicy = new IamRolePolicyAttachment(this, "cluster-policy", {
      role: role.name,
      policyArn: EKS_CLUSTER_POLICY,
      provider,
    });
    // EKS uses the secrets key through the cluster role.
    const secretsKeyUse = new IamRolePolicy(this, "secrets-key-use", {
      role: role.name,
      name: "secrets-encryption",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Sid: "UseSecretsKey", Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"], Resource: secretsKey.keyArn },
        ],
      }),
      provider,
    });
    this.roleArn = role.arn;

    this.cluster = new EksClusterResource(this, "cluster", {
      name: props.name,
      version: props.kubernetesVersion,
      roleArn: role.arn,
      vpcConfig: {
        subnetIds: [...props.subnetIds],
        endpointPrivateAccess: props.endpointPrivateAccess ?? true,
        endpointPublicAccess: publicCidrs.length > 0,
        publicAccessCidrs: publicCidrs.length > 0 ? [...publicCidrs] : undefined,
        securityGroupIds: props.additionalSecurityGroupIds ? [...props.additionalSecurityGroupIds] : undefined,
      },
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: secretsKey.keyArn } },
      enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
      bootstrapSelfManagedAddons: false,
      upgradePolicy: { supportType: props.supportType ?? "STANDARD" },
      deletionProtection: props.deletionProtection ?? true,
      zonalShiftConfig: { enabled: props.zonalShift ?? true },
      dependsOn: [logGroup, clusterPolicy, secretsKeyUse],
      lifecycle: { preventDestroy: true },
      provider,
    });

    this.clusterName = this.cluster.name;
    this.clusterArn = this.cluster.arn;
    this.endpoint = this.cluster.endpoint;
    this.certificateAuthorityData = this.cluster.certificateAuthority.get(0).data;
    this.clusterSecurityGroupId = this.cluster.vpcConfig.clusterSecurityGroupId;
    this.version = this.cluster.version;
    if (props.openPublicEndpointReason) suppress(this.cluster, "eks-public-endpoint", props.openPublicEndpointReason);
    for (const [name, groupId] of Object.entries(props.apiClientSecurityGroupIds ?? {})) {
      new VpcSecurityGroupIngressRule(this, `api-from-${name}`, {
        securityGroupId: this.clusterSecurityGroupId,
        referencedSecurityGroupId: groupId,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        description: `Kubernetes API (private endpoint) from ${name}`,
        tags: { Name: `cluster-ingress-443-from-${name}` },
        provider,
      });
    }
    this.adminAccess = new ClusterAdminAccess(this, "admins", { clusterName: this.cluster.name, principalArns: props.adminRoleArns ?? [], provider });
    if (props.viewerRoleArns && props.viewerRoleArns.length > 0) {
      const admins = new Set(props.adminRoleArns ?? []);
      const both = props.viewerRoleArns.filter((a) => admins.has(a));
      if (both.length > 0) throw new Error(`EksCluster ${id}: ${both.join(", ")} listed as both admin and viewer; list each role once`);
      this.viewerAccess = new ClusterAdminAccess(this, "viewers", {
        clusterName: this.cluster.name,
        principalArns: props.viewerRoleArns,
        // Not AmazonEKSAdminViewPolicy (every Secret of every namespace): RBAC of the platform and app
        // layers (modules/planner-access) gives this group what planning reads.
        accessPolicyArn: false,
        kubernetesGroups: [PLANNER_GROUP],
        provider,
      });
    }
  }
}

function validate(id: string, props: EksClusterProps): void {
  const fail = (msg: string): never => {
    throw new Error(`EksCluster ${id}: ${msg}`);
  };
  if (!/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/.test(props.name)) fail(`name must be 1-100 letters, digits, '-' and '_', starting with a letter or digit, got "${props.name}"`);
  if (!/^1\.\d{2}$/.test(props.kubernetesVersion)) fail(`kubernetesVersion must be a minor version such as 1.35, got "${props.kubernetesVersion}"`);
  if (!/^\d{12}$/.test(props.accountId)) fail(`accountId must be 12 digits, got ${props.accountId}`);
  if (`${props.namePrefix}-eks-cluster`.length > 64) fail(`namePrefix "${props.namePrefix}" makes the cluster role name longer than IAM's 64 characters`);
  if (!Token.isUnresolved(props.subnetIds) && props.subnetIds.length < 2) fail(`subnetIds must hold subnets of at least two AZs (EKS requires it), got ${props.subnetIds.length}`);
  for (const cidr of props.publicAccessCidrs ?? []) {
    if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr)) fail(`publicAccessCidrs holds "${cidr}", which is not an IPv4 CIDR`);
    if (cidr.endsWith("/0") && !props.openPublicEndpointReason) fail(`publicAccessCidrs holds ${cidr}, which opens the API endpoint to the whole internet; list the CIDRs that need it, or give openPublicEndpointReason`);
  }
  if (props.openPublicEndpointReason !== undefined && props.openPublicEndpointReason.trim().length < 10) fail("openPublicEndpointReason must say why (10+ characters)");
  if (props.endpointPrivateAccess === false && (props.publicAccessCidrs ?? []).length === 0) fail("endpointPrivateAccess is false and publicAccessCidrs is empty: the cluster would have no API endpoint (EKS refuses it); keep the private endpoint or list public CIDRs");
  for (const name of Object.keys(props.apiClientSecurityGroupIds ?? {})) {
    if (!/^[a-z][a-z0-9-]*$/.test(name)) fail(`apiClientSecurityGroupIds key "${name}" must be lower-case letters, digits and '-' (it names the rule)`);
  }
}
