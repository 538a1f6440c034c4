import { allow, deny, type Facts, type Scenario } from "../support";

/**
 * Per role of the layers (name after `<prefix>-`, `*` matching any run of
 * characters): what its layer, add-on or service must be able to do, and
 * what it must not (escalation, other data, bootstrap resources, deletion).
 */
export type RoleScenarios = Record<string, (f: Facts, role: string) => Scenario[]>;

const assume = (f: Facts, role: string, extra: Record<string, string> = {}) => ({
  action: "sts:AssumeRole",
  resource: f.roleArn(role),
  context: { "aws:SourceAccount": f.account, ...extra },
});

/** Denials every bounded role shares: the boundary's reach, checked once per role. */
export function boundaryDenials(f: Facts, role: string): Scenario[] {
  const me = { role: `${f.prefix}-${role}` };
  return [
    deny("read Terraform state", me, { action: "s3:GetObject", resource: f.stateObject("data") }),
    deny("take the state lock", me, { action: "dynamodb:PutItem", resource: f.lockTable }),
    deny("decrypt with the state key", me, { action: "kms:Decrypt", resource: f.stateKey }),
    deny("create a role", me, { action: "iam:CreateRole", resource: f.roleArn("x") }),
    deny("put a policy on itself", me, { action: "iam:PutRolePolicy", resource: f.roleArn(role) }),
    deny("pass a role", me, { action: "iam:PassRole", resource: f.roleArn("eks-node"), context: { "iam:PassedToService": "ec2.amazonaws.com" } }),
    deny("create an access key", me, { action: "iam:CreateAccessKey", resource: f.iamArn("user", "anyone") }),
  ];
}

const podTrust = (f: Facts, role: string, namespace: string, serviceAccount: string): Scenario[] => {
  const pods = { service: "pods.eks.amazonaws.com" };
  const tags = (ns: string, sa: string) => ({
    "aws:RequestTag/eks-cluster-name": f.clusterName,
    "aws:RequestTag/kubernetes-namespace": ns,
    "aws:RequestTag/kubernetes-service-account": sa,
  });
  return [
    allow(`Pod Identity assumes it for ${namespace}/${serviceAccount}`, pods, assume(f, role, tags(namespace, serviceAccount))),
    deny("Pod Identity assumes it for another service account", pods, assume(f, role, tags(namespace, "someone-else"))),
    deny("EC2 assumes it", { service: "ec2.amazonaws.com" }, assume(f, role)),
  ];
};

const serviceTrust = (f: Facts, role: string, service: string, context: Record<string, string> = {}): Scenario[] => [
  allow(`${service} assumes it`, { service }, assume(f, role, context)),
  deny("another service assumes it", { service: "lambda.amazonaws.com" }, assume(f, role)),
];

export const WORKLOAD_SCENARIOS: RoleScenarios = {
  "app-*": (f, role) => {
    const service = role.slice("app-".length);
    const me = { role: `${f.prefix}-${role}` };
    const withUploads = service !== "web";
    const uploads = `${f.uploadsBucket}/users/1/avatar.png`;
    const viaS3 = { "kms:ViaService": `s3.${f.region}.amazonaws.com`, "kms:EncryptionContext:aws:s3:arn": uploads };
    const dbuser = (user: string) => `arn:aws:rds-db:${f.region}:${f.account}:dbuser:${f.databaseResourceId}/${user}`;
    const withDatabase = service !== "web";
    return [
      ...podTrust(f, role, "upskill", `upskill-${service}`),
      allow("connect to the cache as the app user", me, { action: "elasticache:Connect", resource: f.cacheGroup }),
      ...(withDatabase
        ? [allow("connect to PostgreSQL as its own user", me, { action: "rds-db:connect", resource: dbuser(`upskill_${service}`) })]
        : [deny("connect to PostgreSQL (web has no database access)", me, { action: "rds-db:connect", resource: dbuser("upskill_web") })]),
      deny("connect as another service's user", me, { action: "rds-db:connect", resource: dbuser(service === "api" ? "upskill_worker" : "upskill_api") }),
      deny("connect as the master user", me, { action: "rds-db:connect", resource: dbuser("upskill_admin") }),
      deny("read the master user secret", me, { action: "secretsmanager:GetSecretValue", resource: f.databaseSecret }),
      ...(withUploads
        ? [
            allow("write an upload", me, { action: "s3:PutObject", resource: uploads }),
            allow("read an upload", me, { action: "s3:GetObject", resource: uploads }),
            allow("encrypt an upload through S3", me, { action: "kms:GenerateDataKey", resource: f.bucketsKey, context: viaS3 }),
          ]
        : [deny("read uploads (web has no uploads access)", me, { action: "s3:GetObject", resource: uploads })]),
      deny("use the uploads key outside S3", me, { action: "kms:Decrypt", resource: f.bucketsKey }),
      deny("read the backups", me, { action: "s3:GetObject", resource: `${f.backupsBucket}/dump.sql` }),
      deny("delete the uploads bucket", me, { action: "s3:DeleteBucket", resource: f.uploadsBucket }),
      deny("delete the database", me, { action: "rds:DeleteDBInstance", resource: f.databaseInstance }),
      deny("read another tenant's bucket", me, { action: "s3:GetObject", resource: `arn:aws:s3:::someone-else-${f.otherAccount}/x` }),
    ];
  },
  "db-provisioner": (f, role) => {
    const me = { role: `${f.prefix}-${role}` };
    return [
      ...podTrust(f, role, "upskill", "db-provisioner"),
      allow("read the master user secret", me, { action: "secretsmanager:GetSecretValue", resource: f.databaseSecret }),
      allow("decrypt it through Secrets Manager", me, { action: "kms:Decrypt", resource: f.databaseKey, context: { "kms:ViaService": `secretsmanager.${f.region}.amazonaws.com` } }),
      deny("decrypt with the database key outside Secrets Manager", me, { action: "kms:Decrypt", resource: f.databaseKey }),
      deny("delete the database", me, { action: "rds:DeleteDBInstance", resource: f.databaseInstance }),
      deny("read uploads", me, { action: "s3:GetObject", resource: `${f.uploadsBucket}/x` }),
    ];
  },
  "database-dump": (f, role) => {
    const me = { role: `${f.prefix}-${role}` };
    const dump = `${f.backupsBucket}/postgres/2026/12/01/upskill-20261201T043000Z.dump`;
    const viaS3 = { "kms:ViaService": `s3.${f.region}.amazonaws.com`, "kms:EncryptionContext:aws:s3:arn": dump };
    const dbuser = (user: string) => `arn:aws:rds-db:${f.region}:${f.account}:dbuser:${f.databaseResourceId}/${user}`;
    return [
      ...podTrust(f, role, "upskill", "database-dump"),
      allow("connect to PostgreSQL as the dump role", me, { action: "rds-db:connect", resource: dbuser("upskill_dump") }),
      allow("put a dump under postgres/", me, { action: "s3:PutObject", resource: dump }),
      allow("encrypt the dump through S3 (multipart uploads decrypt too)", me, { action: "kms:GenerateDataKey", resource: f.bucketsKey, context: viaS3 }),
      allow("complete a multipart upload", me, { action: "kms:Decrypt", resource: f.bucketsKey, context: viaS3 }),
      deny("read a dump back", me, { action: "s3:GetObject", resource: dump }),
      deny("delete a dump", me, { action: "s3:DeleteObject", resource: dump }),
      deny("list the backups", me, { action: "s3:ListBucket", resource: f.backupsBucket }),
      deny("put outside postgres/", me, { action: "s3:PutObject", resource: `${f.backupsBucket}/other/x` }),
      deny("put into the uploads bucket", me, { action: "s3:PutObject", resource: `${f.uploadsBucket}/x` }),
      deny("connect as the master user", me, { action: "rds-db:connect", resource: dbuser("upskill_admin") }),
      deny("connect as a service's user", me, { action: "rds-db:connect", resource: dbuser("upskill_api") }),
      deny("read the master user secret", me, { action: "secretsmanager:GetSecretValue", resource: f.databaseSecret }),
      deny("use the buckets key outside S3", me, { action: "kms:Decrypt", resource: f.bucketsKey }),
    ];
  },
  "eks-cluster": (f, role) => {
    const me = { role: `${f.prefix}-${role}` };
    return [
      ...serviceTrust(f, role, "eks.amazonaws.com"),
      allow("encrypt Kubernetes secrets with its key", me, { action: "kms:Encrypt", resource: f.secretsKey }),
      allow("describe the cluster's network interfaces", me, { action: "ec2:DescribeNetworkInterfaces", resource: "*" }),
      deny("decrypt with the database key", me, { action: "kms:Decrypt", resource: f.databaseKey }),
      deny("read uploads", me, { action: "s3:GetObject", resource: `${f.uploadsBucket}/x` }),
    ];
  },
  "eks-node": (f, role) => {
    const me = { role: `${f.prefix}-${role}` };
    return [
      ...serviceTrust(f, role, "ec2.amazonaws.com"),
      allow("pull images from ECR", me, { action: "ecr:BatchGetImage", resource: `arn:aws:ecr:${f.region}:${f.account}:repository/${f.prefix}/api` }),
      allow("describe instances (kubelet)", me, { action: "ec2:DescribeInstances", resource: "*" }),
      deny("read uploads", me, { action: "s3:GetObject", resource: `${f.uploadsBucket}/x` }),
      deny("read the database secret", me, { action: "secretsmanager:GetSecretValue", resource: f.databaseSecret }),
      deny("attach network interfaces (the CNI role's job)", me, { action: "ec2:AttachNetworkInterface", resource: `arn:aws:ec2:${f.region}:${f.account}:instance/*` }),
    ];
  },
  "vpc-cni": (f, role) => {
    const me = { role: `${f.prefix}-${role}` };
    return [
      ...podTrust(f, role, "kube-system", "aws-node"),
      allow("assign pod IPs", me, { action: "ec2:AssignPrivateIpAddresses", resource: `arn:aws:ec2:${f.region}:${f.account}:network-interface/eni-1` }),
      deny("terminate instances", me, { action: "ec2:TerminateInstances", resource: `arn:aws:ec2:${f.region}:${f.account}:instance/i-1` }),
      deny("read uploads", me, { action: "s3:GetObject", resource: `${f.uploadsBucket}/x` }),
    ];
  },
  "ebs-csi": (f, role) => {
    const me = { role: `${f.prefix}-${role}` };
    return [
      ...podTrust(f, role, "kube-system", "ebs-csi-controller-sa"),
      allow("create a volume", me, {
        action: "ec2:CreateVolume",
        resource: `arn:aws:ec2:${f.region}:${f.account}:volume/*`,
        context: { "aws:RequestTag/ebs.csi.aws.com/cluster": "true" },
      }),
      allow("grant EBS the volume key", me, { action: "kms:CreateGrant", resource: f.ebsKey, context: { "kms:GrantIsForAWSResource": "true" } }),
      deny("grant the volume key to a principal outside AWS services", me, { action: "kms:CreateGrant", resource: f.ebsKey, context: { "kms:GrantIsForAWSResource": "false" } }),
      deny("decrypt with the database key", me, { action: "kms:Decrypt", resource: f.databaseKey }),
    ];
  },
  "volume-backup": (f, role) => {
    const me = { role: `${f.prefix}-${role}` };
    return [
      ...serviceTrust(f, role, "backup.amazonaws.com"),
      deny("AWS Backup for another account assumes it", { service: "backup.amazonaws.com" }, assume(f, role, { "aws:SourceAccount": f.otherAccount })),
      allow("snapshot a volume", me, { action: "ec2:CreateSnapshot", resource: `arn:aws:ec2:${f.region}:${f.account}:volume/vol-1` }),
      deny("read uploads", me, { action: "s3:GetObject", resource: `${f.uploadsBucket}/x` }),
    ];
  },
  "*-replication": (f, role) => {
    const me = { role: `${f.prefix}-${role}` };
    const bucket = role.startsWith("uploads-") ? f.uploadsBucket : f.backupsBucket;
    const other = role.startsWith("uploads-") ? f.backupsBucket : f.uploadsBucket;
    return [
      ...serviceTrust(f, role, "s3.amazonaws.com", { "aws:SourceArn": bucket }),
      deny("S3 replicating another bucket assumes it", { service: "s3.amazonaws.com" }, assume(f, role, { "aws:SourceArn": `arn:aws:s3:::someone-else-${f.otherAccount}` })),
      allow("read a source version for replication", me, { action: "s3:GetObjectVersionForReplication", resource: `${bucket}/x` }),
      deny("read the other bucket's versions", me, { action: "s3:GetObjectVersionForReplication", resource: `${other}/x` }),
      deny("delete source versions", me, { action: "s3:DeleteObjectVersion", resource: `${bucket}/x` }),
    ];
  },
  "postgres-monitoring": (f, role) => {
    const me = { role: `${f.prefix}-${role}` };
    return [
      ...serviceTrust(f, role, "monitoring.rds.amazonaws.com"),
      allow("write enhanced-monitoring metrics", me, {
        action: "logs:PutLogEvents",
        resource: `arn:aws:logs:${f.region}:${f.account}:log-group:RDSOSMetrics:log-stream:db-1`,
      }),
      deny("write the flow logs", me, { action: "logs:PutLogEvents", resource: `${f.flowLogGroup}:log-stream:x` }),
    ];
  },
  "vpc-flow-logs": (f, role) => {
    const me = { role: `${f.prefix}-${role}` };
    return [
      ...serviceTrust(f, role, "vpc-flow-logs.amazonaws.com", { "aws:SourceArn": `arn:aws:ec2:${f.region}:${f.account}:vpc-flow-log/fl-1` }),
      deny("another account's flow log assumes it", { service: "vpc-flow-logs.amazonaws.com" }, assume(f, role, { "aws:SourceAccount": f.otherAccount })),
      allow("write the flow-log group", me, { action: "logs:PutLogEvents", resource: `${f.flowLogGroup}:log-stream:eni-1-all` }),
      deny("write the EKS audit log", me, { action: "logs:PutLogEvents", resource: `${f.eksLogGroup}:log-stream:kube-apiserver-audit-1` }),
    ];
  },
  "cloudwatch-agent": (f, role) => {
    const me = { role: `${f.prefix}-${role}` };
    return [
      ...podTrust(f, role, "amazon-cloudwatch", "cloudwatch-agent"),
      allow("put metrics", me, { action: "cloudwatch:PutMetricData", resource: "*" }),
      allow("write Container Insights logs", me, {
        action: "logs:PutLogEvents",
        resource: `arn:aws:logs:${f.region}:${f.account}:log-group:/aws/containerinsights/${f.clusterName}/application:log-stream:x`,
      }),
      deny("write the VPC flow logs", me, { action: "logs:PutLogEvents", resource: `${f.flowLogGroup}:log-stream:eni-1-all` }),
      deny("write the EKS audit log", me, { action: "logs:PutLogEvents", resource: `${f.eksLogGroup}:log-stream:kube-apiserver-audit-1` }),
      deny("read uploads", me, { action: "s3:GetObject", resource: `${f.uploadsBucket}/x` }),
    ];
  },
  "aws-load-balancer-controller": (f, role) => {
    const me = { role: `${f.prefix}-${role}` };
    return [
      ...podTrust(f, role, "kube-system", "aws-load-balancer-controller"),
      allow("describe target groups", me, { action: "elasticloadbalancing:DescribeTargetGroups", resource: "*" }),
      allow("register pod IPs", me, { action: "elasticloadbalancing:RegisterTargets", resource: `arn:aws:elasticloadbalancing:${f.region}:${f.account}:targetgroup/${f.prefix}-api/1` }),
      deny("create an IAM role other than the ELB service-linked role", me, { action: "iam:CreateServiceLinkedRole", resource: f.iamArn("role", "aws-service-role/rds.amazonaws.com/AWSServiceRoleForRDS"), context: { "iam:AWSServiceName": "rds.amazonaws.com" } }),
      deny("read uploads", me, { action: "s3:GetObject", resource: `${f.uploadsBucket}/x` }),
    ];
  },
  "runner-codebuild": (f, role) => {
    const me = { role: `${f.prefix}-${role}` };
    const project = `arn:aws:codebuild:${f.region}:${f.account}:project/${f.prefix}-runner`;
    const eni = `arn:aws:ec2:${f.region}:${f.account}:network-interface/eni-1`;
    const inVpc = { "ec2:Vpc": f.vpc };
    const otherVpc = { "ec2:Vpc": `arn:aws:ec2:${f.region}:${f.account}:vpc/vpc-other` };
    return [
      ...serviceTrust(f, role, "codebuild.amazonaws.com", { "aws:SourceArn": project }),
      deny("CodeBuild for another project assumes it", { service: "codebuild.amazonaws.com" }, assume(f, role, { "aws:SourceArn": `arn:aws:codebuild:${f.region}:${f.account}:project/someone-else` })),
      // What CodeBuild does with it: logs, the build's network interface in the VPC, the GitHub connection.
      allow("create its build's log stream", me, { action: "logs:CreateLogStream", resource: `${f.runnerLogGroup}:log-stream:build-1` }),
      allow("write its build logs", me, { action: "logs:PutLogEvents", resource: `${f.runnerLogGroup}:log-stream:build-1` }),
      allow("create a network interface", me, { action: "ec2:CreateNetworkInterface", resource: eni }),
      allow("place it in a subnet of the VPC", me, { action: "ec2:CreateNetworkInterface", resource: `arn:aws:ec2:${f.region}:${f.account}:subnet/subnet-1`, context: inVpc }),
      deny("place it in another VPC's subnet", me, { action: "ec2:CreateNetworkInterface", resource: `arn:aws:ec2:${f.region}:${f.account}:subnet/subnet-9`, context: otherVpc }),
      allow("hand the interface to CodeBuild", me, { action: "ec2:CreateNetworkInterfacePermission", resource: eni, context: { ...inVpc, "ec2:AuthorizedService": "codebuild.amazonaws.com" } }),
      deny("hand an interface to another service", me, { action: "ec2:CreateNetworkInterfacePermission", resource: eni, context: { ...inVpc, "ec2:AuthorizedService": "lambda.amazonaws.com" } }),
      allow("delete the interface", me, { action: "ec2:DeleteNetworkInterface", resource: eni, context: inVpc }),
      deny("delete another VPC's interfaces", me, { action: "ec2:DeleteNetworkInterface", resource: eni, context: otherVpc }),
      allow("describe subnets", me, { action: "ec2:DescribeSubnets", resource: "*" }),
      allow("get a token of the GitHub connection", me, { action: "codeconnections:GetConnectionToken", resource: f.runnerConnection }),
      deny("use another connection", me, { action: "codeconnections:GetConnectionToken", resource: `arn:aws:codeconnections:${f.region}:${f.account}:connection/00000000-0000-0000-0000-000000000000` }),
      // Not what the deploy or plan role does: a job's code sees the build's credentials, which must give it nothing.
      deny("assume the CI deploy role", me, { action: "sts:AssumeRole", resource: f.roleArn("ci-deploy") }),
      deny("assume the CI plan role", me, { action: "sts:AssumeRole", resource: f.roleArn("ci-plan") }),
      deny("administer IAM", me, { action: "iam:AttachRolePolicy", resource: f.roleArn(role), context: { "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" } }),
      deny("read the cluster", me, { action: "eks:DescribeCluster", resource: f.cluster }),
      deny("change the cluster's security groups", me, { action: "ec2:AuthorizeSecurityGroupIngress", resource: `arn:aws:ec2:${f.region}:${f.account}:security-group/sg-1` }),
      deny("start builds of its own project", me, { action: "codebuild:StartBuild", resource: project }),
      deny("read uploads", me, { action: "s3:GetObject", resource: `${f.uploadsBucket}/x` }),
      deny("read the database master secret", me, { action: "secretsmanager:GetSecretValue", resource: f.databaseSecret }),
      deny("write the EKS audit log", me, { action: "logs:PutLogEvents", resource: `${f.eksLogGroup}:log-stream:kube-apiserver-audit-1` }),
    ];
  },
  "cluster-autoscaler": (f, role) => {
    const me = { role: `${f.prefix}-${role}` };
    const asg = `arn:aws:autoscaling:${f.region}:${f.account}:autoScalingGroup:1:autoScalingGroupName/eks-core`;
    return [
      ...podTrust(f, role, "kube-system", "cluster-autoscaler"),
      allow("scale this cluster's node groups", me, {
        action: "autoscaling:SetDesiredCapacity",
        resource: asg,
        context: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${f.clusterName}`]: "owned" },
      }),
      deny("scale another cluster's groups", me, { action: "autoscaling:SetDesiredCapacity", resource: asg, context: { "aws:ResourceTag/k8s.io/cluster-autoscaler/other": "owned" } }),
      deny("terminate arbitrary instances", me, { action: "ec2:TerminateInstances", resource: `arn:aws:ec2:${f.region}:${f.account}:instance/i-1` }),
    ];
  },
};

/** The entry of `scenarios` whose pattern matches a role's name after the prefix (exactly one must). */
export function scenariosFor(scenarios: RoleScenarios, suffix: string): Array<[string, RoleScenarios[string]]> {
  return Object.entries(scenarios).filter(([pattern]) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(suffix));
}
