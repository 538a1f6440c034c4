import { Testing } from "cdktf";
import { CiRunner, WORKFLOW_JOB_QUEUED, type CiRunnerProps } from "../../modules/ci-runner/ci-runner";

const BASE: CiRunnerProps = {
  namePrefix: "upskill-dev",
  accountId: "111111111111",
  region: "eu-west-1",
  repository: "upskill-learning/platform",
  connectionArn: "arn:aws:codeconnections:eu-west-1:111111111111:connection/0a1b2c3d-0000-4000-8000-000000000001",
  vpcId: "vpc-1",
  subnetIds: ["subnet-private-a", "subnet-private-b"],
  computeType: "BUILD_GENERAL1_MEDIUM",
  logRetentionDays: 30,
  logsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/logs",
};

function synth(props: Partial<CiRunnerProps> = {}) {
  return JSON.parse(Testing.synthScope((scope) => void new CiRunner(scope, "ci-runner", { ...BASE, ...props })));
}
const all = (json: any, type: string): Array<[string, any]> => Object.entries<any>(json.resource[type] ?? {});
const one = (json: any, type: string): [string, any] => {
  const found = all(json, type);
  expect(found).toHaveLength(1);
  return found[0]!;
};
const statements = (json: any): any[] => JSON.parse(one(json, "aws_iam_role_policy")[1].policy).Statement;

describe("CiRunner", () => {
  test("the project runs each job in the private subnets with the runner security group, from the repository through the connection", () => {
    const json = synth();
    const [sgName] = one(json, "aws_security_group");
    const [, project] = one(json, "aws_codebuild_project");
    expect(project.name).toBe("upskill-dev-runner");
    expect(project.vpc_config).toEqual({ vpc_id: "vpc-1", subnets: ["subnet-private-a", "subnet-private-b"], security_group_ids: [`\${aws_security_group.${sgName}.id}`] });
    expect(project.source).toEqual({
      type: "GITHUB",
      location: "https://github.com/upskill-learning/platform.git",
      git_clone_depth: 1,
      auth: { type: "CODECONNECTIONS", resource: BASE.connectionArn },
    });
    expect(project.environment).toMatchObject({ type: "LINUX_CONTAINER", compute_type: "BUILD_GENERAL1_MEDIUM", image: "aws/codebuild/standard:7.0", privileged_mode: false });
    expect(project.artifacts).toEqual({ type: "NO_ARTIFACTS" });
    expect(project.build_timeout).toBe(240);
  });

  test("the webhook starts a build for queued workflow jobs only", () => {
    const json = synth();
    const [projectName] = one(json, "aws_codebuild_project");
    const [, webhook] = one(json, "aws_codebuild_webhook");
    expect(webhook.project_name).toBe(`\${aws_codebuild_project.${projectName}.name}`);
    expect(webhook.build_type).toBe("BUILD");
    expect(webhook.filter_group).toEqual([{ filter: [{ type: "EVENT", pattern: WORKFLOW_JOB_QUEUED }] }]);
    expect(WORKFLOW_JOB_QUEUED).toBe("WORKFLOW_JOB_QUEUED");
  });

  test("the security group admits nothing and lets out HTTPS only", () => {
    const json = synth();
    const [sgName, sg] = one(json, "aws_security_group");
    expect(sg.vpc_id).toBe("vpc-1");
    expect(sg.ingress ?? []).toEqual([]);
    expect(sg.egress ?? []).toEqual([]);
    expect(all(json, "aws_vpc_security_group_ingress_rule")).toEqual([]);
    const [, egress] = one(json, "aws_vpc_security_group_egress_rule");
    expect(egress).toMatchObject({ security_group_id: `\${aws_security_group.${sgName}.id}`, ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: "0.0.0.0/0" });
  });

  test("build logs go to a log group with retention and the given key, declared before any build", () => {
    const json = synth();
    const [groupName, group] = one(json, "aws_cloudwatch_log_group");
    expect(group).toMatchObject({ name: "/aws/codebuild/upskill-dev-runner", retention_in_days: 30, kms_key_id: BASE.logsKeyArn });
    const [, project] = one(json, "aws_codebuild_project");
    expect(project.logs_config).toEqual({ cloudwatch_logs: { status: "ENABLED", group_name: `\${aws_cloudwatch_log_group.${groupName}.name}` }, s3_logs: { status: "DISABLED" } });
    expect(all(json, "aws_kms_key")).toEqual([]);
  });

  test("without a logs key it makes one, granted to CloudWatch Logs for its log group only", () => {
    const json = synth({ logsKeyArn: undefined });
    const [keyName, key] = one(json, "aws_kms_key");
    const [, group] = one(json, "aws_cloudwatch_log_group");
    expect(group.kms_key_id).toBe(`\${aws_kms_key.${keyName}.arn}`);
    const grant = JSON.parse(key.policy).Statement.find((s: any) => s.Principal?.Service === "logs.eu-west-1.amazonaws.com");
    expect(grant.Condition).toEqual({ ArnEquals: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:111111111111:log-group:/aws/codebuild/upskill-dev-runner" } });
  });

  test("the builds' role is named outside the CI roles' <prefix>-ci-* and trusts only CodeBuild for this project", () => {
    const json = synth();
    const [, role] = one(json, "aws_iam_role");
    expect(role.name).toBe("upskill-dev-runner-codebuild");
    expect(role.name.startsWith("upskill-dev-ci-")).toBe(false);
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "codebuild.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": "111111111111" }, ArnLike: { "aws:SourceArn": "arn:aws:codebuild:eu-west-1:111111111111:project/upskill-dev-runner" } },
      },
    ]);
    const [projectName, project] = one(json, "aws_codebuild_project");
    expect(project.service_role).toMatch(/^\$\{aws_iam_role\.ci-runner_role_[A-F0-9]+\.arn\}$/);
    expect(project.depends_on).toEqual([expect.stringMatching(/^aws_iam_role_policy\./)]);
    expect(projectName).toMatch(/project/);
  });

  test("the role's policy is CodeBuild's needs only: no IAM, no STS, no wildcard action, writes only on its logs, interfaces and connection", () => {
    const s = statements(synth());
    const actions = s.flatMap((x) => [x.Action].flat()) as string[];
    expect(actions.filter((a) => a.includes("*"))).toEqual([]);
    expect(actions.filter((a) => /^(iam|sts|eks|s3|kms|secretsmanager|codebuild):/.test(a))).toEqual([]);
    expect(s.every((x) => x.Effect === "Allow")).toBe(true);
    // Only the Describe calls (which take no resource) are on "*".
    expect(s.filter((x) => x.Resource === "*").flatMap((x) => [x.Action].flat()).every((a: string) => a.startsWith("ec2:Describe"))).toBe(true);
    expect(s.find((x) => x.Sid === "UseTheGitHubConnection").Resource).toBe(BASE.connectionArn);
    expect(s.find((x) => x.Sid === "WriteBuildLogs").Resource).toBe("arn:aws:logs:eu-west-1:111111111111:log-group:/aws/codebuild/upskill-dev-runner:log-stream:*");
  });

  test("compute type, image, timeout and concurrency come from props", () => {
    const [, project] = one(synth({ computeType: "BUILD_GENERAL1_LARGE", image: "aws/codebuild/amazonlinux-x86_64-standard:5.0", timeoutMinutes: 90, concurrentBuildLimit: 4 }), "aws_codebuild_project");
    expect(project.environment).toMatchObject({ compute_type: "BUILD_GENERAL1_LARGE", image: "aws/codebuild/amazonlinux-x86_64-standard:5.0" });
    expect(project.build_timeout).toBe(90);
    expect(project.concurrent_build_limit).toBe(4);
  });

  test.each([
    [{ computeType: "BUILD_LAMBDA_1GB" }, /computeType must be BUILD_GENERAL1_/],
    [{ timeoutMinutes: 3000 }, /timeoutMinutes must be 5-2160/],
    [{ concurrentBuildLimit: 0 }, /concurrentBuildLimit must be a positive integer/],
    [{ subnetIds: [] }, /subnetIds is empty/],
    [{ repository: "platform" }, /repository must be owner\/name/],
    [{ connectionArn: "arn:aws:secretsmanager:eu-west-1:111111111111:secret:github" }, /connectionArn must be a CodeConnections connection ARN/],
    [{ namePrefix: "x".repeat(48) }, /longer than IAM's 64 characters/],
  ] as const)("refuses %j", (props, message) => {
    expect(() => synth(props as Partial<CiRunnerProps>)).toThrow(message);
  });
});
