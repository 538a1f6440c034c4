import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { ManagedAddon } from "../eks-addons/managed-addon";
import { WorkloadRole } from "../workload-role/workload-role";

export interface ContainerInsightsProps {
  /** The EKS cluster (name or reference to the cluster stack's output). */
  readonly clusterName: string;
  /** The cluster's Kubernetes version (reference), which picks the add-on's default version. */
  readonly kubernetesVersion: string;
  readonly accountId: string;
  /** `<project>-<env>`: names the agent's role `<prefix>-cloudwatch-agent`. */
  readonly namePrefix: string;
  /** Pinned add-on version (v3.1.0 or later: Pod Identity). Default: EKS's default for the cluster's version. */
  readonly addonVersion?: string;
  /** Days the agent's and Fluent Bit's log groups keep their events. */
  readonly logRetentionDays: number;
  /** Encrypts those log groups (CloudWatch Logs of this region must be allowed to use it). */
  readonly logsKmsKeyArn: string;
  /** Default: the stack's default AWS provider. */
  readonly provider?: TerraformProvider;
}

/** The add-on's name, namespace and service account (the CloudWatch agent and Fluent Bit both run as it). */
export const CLOUDWATCH_OBSERVABILITY_ADDON = "amazon-cloudwatch-observability";
export const CLOUDWATCH_AGENT_NAMESPACE = "amazon-cloudwatch";
export const CLOUDWATCH_AGENT_SERVICE_ACCOUNT = "cloudwatch-agent";

/**
 * The log groups the add-on writes to, by the name AWS gives them: the agent's
 * performance events (Container Insights' metrics, as embedded metric format) and
 * Fluent Bit's application, dataplane and host logs.
 */
export const CONTAINER_INSIGHTS_LOG_GROUPS = ["performance", "application", "dataplane", "host"] as const;
export const containerInsightsLogGroupName = (clusterName: string, kind: (typeof CONTAINER_INSIGHTS_LOG_GROUPS)[number]) => `/aws/containerinsights/${clusterName}/${kind}`;

/**
 * X-Ray's managed write policy, as the add-on's documentation names it. Its other policy,
 * CloudWatchAgentServerPolicy, lets the agent write into every log group of the account
 * (VPC flow logs, the EKS audit log...): the role gets the same actions in its own policy,
 * log writes limited to the Container Insights groups.
 */
export const AGENT_POLICIES = ["arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"];

/**
 * Container Insights through the `amazon-cloudwatch-observability` EKS add-on:
 * the add-on with its Pod Identity role, and the log groups it would otherwise
 * create itself without retention or key, declared first with both. The add-on
 * tolerates every taint by default, so the agent runs on Spot nodes too.
 */
export class ContainerInsights extends Construct {
  readonly addon: ManagedAddon;
  readonly role: WorkloadRole;
  readonly logGroups: CloudwatchLogGroup[];

  constructor(scope: Construct, id: string, props: ContainerInsightsProps) {
    super(scope, id);
    const { provider } = props;
    if (!Number.isInteger(props.logRetentionDays) || props.logRetentionDays < 1) {
      throw new Error(`ContainerInsights ${id}: logRetentionDays must be a CloudWatch Logs retention period in days, got ${props.logRetentionDays}`);
    }
    this.logGroups = CONTAINER_INSIGHTS_LOG_GROUPS.map(
      (kind) =>
        new CloudwatchLogGroup(this, `log-group-${kind}`, {
          name: containerInsightsLogGroupName(props.clusterName, kind),
          retentionInDays: props.logRetentionDays,
          kmsKeyId: props.logsKmsKeyArn,
          provider,
        }),
    );
    this.role = new WorkloadRole(this, "agent-role", {
      name: `${props.namePrefix}-cloudwatch-agent`,
      description: "CloudWatch agent and Fluent Bit of the amazon-cloudwatch-observability add-on: Container Insights metrics, logs, traces",
      clusterName: props.clusterName,
      accountId: props.accountId,
      namespace: CLOUDWATCH_AGENT_NAMESPACE,
      serviceAccount: CLOUDWATCH_AGENT_SERVICE_ACCOUNT,
      managedPolicyArns: AGENT_POLICIES,
      statements: [
        {
          Sid: "MetricsAndDiscovery",
          Effect: "Allow",
          Action: ["cloudwatch:PutMetricData", "ec2:DescribeVolumes", "ec2:DescribeTags", "logs:DescribeLogGroups"],
          Resource: "*",
        },
        {
          Sid: "WriteContainerInsightsLogGroupsOnly",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          Resource: this.logGroups.flatMap((g) => [g.arn, `${g.arn}:*`]),
        },
      ],
      createAssociation: false, // the add-on's pod_identity_association makes it
      provider,
    });
    this.addon = new ManagedAddon(this, "addon", {
      clusterName: props.clusterName,
      kubernetesVersion: props.kubernetesVersion,
      addonName: CLOUDWATCH_OBSERVABILITY_ADDON,
      version: props.addonVersion,
      podIdentity: { serviceAccount: CLOUDWATCH_AGENT_SERVICE_ACCOUNT, roleArn: this.role.roleArn },
      // The groups exist before the agent writes, so it never creates them unencrypted.
      dependsOn: this.logGroups,
      provider,
    });
  }
}
