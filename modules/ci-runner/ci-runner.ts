import { Construct } from "constructs";
import { Token, type TerraformProvider } from "cdktf";
import { CodebuildProject } from "@cdktf/provider-aws/lib/codebuild-project";
import { CodebuildWebhook } from "@cdktf/provider-aws/lib/codebuild-webhook";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { KmsKey } from "../kms-key/kms-key";
import { runnerProjectName } from "./runs-on";

/** The webhook event CodeBuild answers with a runner: a GitHub Actions job queued with the project's label. */
export const WORKFLOW_JOB_QUEUED = "WORKFLOW_JOB_QUEUED";

export interface CiRunnerProps {
  /** `<project>-<env>`: names the project `<prefix>-runner`, its role `<prefix>-runner-codebuild` (never `-ci-*`: those are the CI roles) and security group. */
  readonly namePrefix: string;
  readonly accountId: string;
  /** The region of the stack's provider (ARNs in the role's policy and trust). */
  readonly region: string;
  /** `owner/name` of the GitHub repository whose queued jobs the runner takes. */
  readonly repository: string;
  /** ARN of the CodeConnections connection to GitHub (bootstrap layer; its GitHub App handshake done by a person). */
  readonly connectionArn: string;
  /** The VPC of the subnets. */
  readonly vpcId: string;
  /** Private subnets (NAT to the internet), where each build gets its network interface. */
  readonly subnetIds: readonly string[];
  /** CodeBuild compute type, e.g. BUILD_GENERAL1_MEDIUM. */
  readonly computeType: string;
  /** Build image. Default: aws/codebuild/standard:7.0. */
  readonly image?: string;
  /** Longest job, minutes (5-2160). Default: 240. */
  readonly timeoutMinutes?: number;
  /** Builds at once. Default: the account's CodeBuild quota. */
  readonly concurrentBuildLimit?: number;
  /** Retention of the builds' log group (a CloudWatch Logs retention period). */
  readonly logRetentionDays: number;
  /** Key of the log group. Default: a key created here, granted to CloudWatch Logs for that log group only. */
  readonly logsKeyArn?: string;
  /** Tags of the project and security group. Default: the provider's default tags only. */
  readonly tags?: Readonly<Record<string, string>>;
  /** Default: the stack's default AWS provider. */
  readonly provider?: TerraformProvider;
}

/**
 * AWS CodeBuild-hosted GitHub Actions runners in the VPC (docs/ci-runners.md): a CodeBuild
 * project whose source is the repository through the CodeConnections connection, with a
 * webhook for `WORKFLOW_JOB_QUEUED`, so every job labelled
 * `codebuild-<project>-${{ github.run_id }}-${{ github.run_attempt }}` gets its own ephemeral
 * build in the private subnets, which reaches the cluster's private endpoint.
 *
 * The builds' own role may only do what CodeBuild needs (logs, network interfaces in the VPC,
 * the connection): jobs get their AWS credentials from GitHub OIDC with the CI roles, as on
 * GitHub's runners, and the build's role credentials give a job nothing more. Its security
 * group opens no ingress and only 443 out (GitHub, AWS APIs through NAT or the endpoints, the
 * cluster's private endpoint); DNS to the VPC resolver is not filtered by security groups.
 */
export class CiRunner extends Construct {
  readonly project: CodebuildProject;
  readonly webhook: CodebuildWebhook;
  readonly projectName: string;
  readonly projectArn: string;
  readonly securityGroupId: string;
  readonly roleArn: string;
  readonly roleName: string;
  readonly logGroupName: string;

  constructor(scope: Construct, id: string, props: CiRunnerProps) {
    super(scope, id);
    validate(id, props);
    const { provider, accountId, region, namePrefix: prefix } = props;
    const name = runnerProjectName(prefix);
    const projectArn = `arn:aws:codebuild:${region}:${accountId}:project/${name}`;
    const logGroupName = `/aws/codebuild/${name}`;
    const logGroupArn = `arn:aws:logs:${region}:${accountId}:log-group:${logGroupName}`;
    const vpcArn = `arn:aws:ec2:${region}:${accountId}:vpc/${props.vpcId}`;

    const logsKeyArn =
      props.logsKeyArn ??
      new KmsKey(this, "logs-key", {
        alias: `${prefix}/runner-logs`,
        description: `Build logs of the CI runner project ${name}`,
        accountId,
        serviceGrants: [
          {
            sid: "CloudWatchLogsForTheRunnerLogGroup",
            service: `logs.${region}.amazonaws.com`,
            actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": logGroupArn } },
          },
        ],
        provider,
      }).keyArn;
    // Declared here so the builds never create it themselves without retention or key.
    const logGroup = new CloudwatchLogGroup(this, "logs", { name: logGroupName, retentionInDays: props.logRetentionDays, kmsKeyId: logsKeyArn, provider });

    const group = new SecurityGroup(this, "security-group", {
      name: `${prefix}-runner`,
      description: "CI runners (CodeBuild): no ingress, HTTPS out only",
      vpcId: props.vpcId,
      revokeRulesOnDelete: true,
      tags: { ...props.tags, Name: `${prefix}-runner` },
      provider,
    });
    new VpcSecurityGroupEgressRule(this, "egress-443", {
      securityGroupId: group.id,
      cidrIpv4: "0.0.0.0/0",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      description: "HTTPS: GitHub and AWS APIs through NAT, the interface endpoints and the cluster's private endpoint",
      tags: { Name: "runner-egress-443-to-internet" },
      provider,
    });

    const role = new IamRole(this, "role", {
      name: `${prefix}-runner-codebuild`,
      description: `CodeBuild builds of the CI runner project ${name}: logs, network interfaces, the GitHub connection (jobs use the CI roles through OIDC)`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "codebuild.amazonaws.com" },
            Action: "sts:AssumeRole",
            // Confused-deputy protection: only this account's runner project.
            Condition: { StringEquals: { "aws:SourceAccount": accountId }, ArnLike: { "aws:SourceArn": projectArn } },
          },
        ],
      }),
      tags: props.tags ? { ...props.tags } : undefined,
      provider,
    });
    const policy = new IamRolePolicy(this, "policy", {
      role: role.name,
      name: "codebuild-runner",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Sid: "WriteBuildLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroupArn}:log-stream:*` },
          {
            // CodeBuild reads these to place each build's network interface (they take no resource ARN).
            Sid: "DescribeNetwork",
            Effect: "Allow",
            Action: ["ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs"],
            Resource: "*",
          },
          { Sid: "CreateInterfaces", Effect: "Allow", Action: "ec2:CreateNetworkInterface", Resource: `arn:aws:ec2:${region}:${accountId}:network-interface/*` },
          {
            Sid: "InterfacesInTheVpcOnly",
            Effect: "Allow",
            Action: "ec2:CreateNetworkInterface",
            Resource: [`arn:aws:ec2:${region}:${accountId}:subnet/*`, `arn:aws:ec2:${region}:${accountId}:security-group/*`],
            Condition: { ArnEquals: { "ec2:Vpc": vpcArn } },
          },
          {
            Sid: "HandInterfacesToCodeBuild",
            Effect: "Allow",
            Action: "ec2:CreateNetworkInterfacePermission",
            Resource: `arn:aws:ec2:${region}:${accountId}:network-interface/*`,
            Condition: { StringEquals: { "ec2:AuthorizedService": "codebuild.amazonaws.com" }, ArnEquals: { "ec2:Vpc": vpcArn } },
          },
          {
            Sid: "DeleteInterfacesInTheVpc",
            Effect: "Allow",
            Action: "ec2:DeleteNetworkInterface",
            Resource: `arn:aws:ec2:${region}:${accountId}:network-interface/*`,
            Condition: { ArnEquals: { "ec2:Vpc": vpcArn } },
          },
          {
            // The runner registers with GitHub and clones through the connection's GitHub App
            // (both service prefixes: connections made before the 2024 rename answer to codestar-connections).
            Sid: "UseTheGitHubConnection",
            Effect: "Allow",
            Action: ["codeconnections:GetConnectionToken", "codeconnections:GetConnection", "codestar-connections:GetConnectionToken", "codestar-connections:GetConnection"],
            Resource: props.connectionArn,
          },
        ],
      }),
      provider,
    });

    this.project = new CodebuildProject(this, "project", {
      name,
      description: `GitHub Actions runners of ${props.repository} in the VPC (one ephemeral build per queued job)`,
      serviceRole: role.arn,
      buildTimeout: props.timeoutMinutes ?? 240,
      concurrentBuildLimit: props.concurrentBuildLimit,
      artifacts: { type: "NO_ARTIFACTS" },
      environment: {
        type: "LINUX_CONTAINER",
        computeType: props.computeType,
        image: props.image ?? "aws/codebuild/standard:7.0",
        imagePullCredentialsType: "CODEBUILD",
        // No Docker daemon: the jobs run Terraform and Node only.
        privilegedMode: false,
      },
      source: {
        type: "GITHUB",
        location: `https://github.com/${props.repository}.git`,
        gitCloneDepth: 1,
        auth: { type: "CODECONNECTIONS", resource: props.connectionArn },
      },
      logsConfig: { cloudwatchLogs: { status: "ENABLED", groupName: logGroup.name }, s3Logs: { status: "DISABLED" } },
      vpcConfig: { vpcId: props.vpcId, subnets: [...props.subnetIds], securityGroupIds: [group.id] },
      tags: props.tags ? { ...props.tags } : undefined,
      // CodeBuild checks at creation that the role can describe the VPC.
      dependsOn: [policy],
      provider,
    });

    this.webhook = new CodebuildWebhook(this, "webhook", {
      projectName: this.project.name,
      buildType: "BUILD",
      filterGroup: [{ filter: [{ type: "EVENT", pattern: WORKFLOW_JOB_QUEUED }] }],
      provider,
    });

    this.projectName = this.project.name;
    this.projectArn = this.project.arn;
    this.securityGroupId = group.id;
    this.roleArn = role.arn;
    this.roleName = role.name;
    this.logGroupName = logGroup.name;
  }
}

/** CodeBuild's compute types for Linux containers on EC2 (what a runner project takes). */
const COMPUTE_TYPES = /^BUILD_GENERAL1_(SMALL|MEDIUM|LARGE|XLARGE|2XLARGE)$/;

function validate(id: string, props: CiRunnerProps): void {
  const fail = (msg: string): never => {
    throw new Error(`CiRunner ${id}: ${msg}`);
  };
  if (!/^\d{12}$/.test(props.accountId)) fail(`accountId must be 12 digits, got ${props.accountId}`);
  if (!/^[a-z][a-z0-9-]*$/.test(props.namePrefix)) fail(`namePrefix must be lower-case letters, digits and '-', got "${props.namePrefix}"`);
  if (`${props.namePrefix}-runner-codebuild`.length > 64) fail(`namePrefix "${props.namePrefix}" makes the role name longer than IAM's 64 characters`);
  if (!/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(props.repository)) fail(`repository must be owner/name, got "${props.repository}"`);
  if (!Token.isUnresolved(props.connectionArn) && !/^arn:aws:(codeconnections|codestar-connections):[a-z0-9-]+:\d{12}:connection\/[0-9a-f-]+$/.test(props.connectionArn)) {
    fail(`connectionArn must be a CodeConnections connection ARN, got "${props.connectionArn}"`);
  }
  if (!COMPUTE_TYPES.test(props.computeType)) fail(`computeType must be BUILD_GENERAL1_SMALL|MEDIUM|LARGE|XLARGE|2XLARGE, got "${props.computeType}"`);
  if (!Token.isUnresolved(props.subnetIds) && props.subnetIds.length === 0) fail("subnetIds is empty; give the private subnets");
  const t = props.timeoutMinutes;
  if (t !== undefined && (!Number.isInteger(t) || t < 5 || t > 2160)) fail(`timeoutMinutes must be 5-2160 (CodeBuild's bounds), got ${t}`);
  const c = props.concurrentBuildLimit;
  if (c !== undefined && (!Number.isInteger(c) || c < 1)) fail(`concurrentBuildLimit must be a positive integer, got ${c}`);
}
