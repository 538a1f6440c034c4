import { EdgeStack } from "../../stacks/edge-stack";
import { ObservabilityStack } from "../../stacks/observability-stack";
import { LOG_RETENTION_DAYS } from "../../config/schema/primitives";
import { shippedEnvironment, SHIPPED_ENVIRONMENTS, testApp, type SynthJson } from "../support/fixtures";
import { observabilityInputs } from "../support/observability-fakes";
import { appOfJson, standInApp } from "../support/stand-in-app";
import { synthesizedApp, type SynthesizedApp, type SynthResource } from "../support/synthesized-app";

/**
 * Log retention everywhere: every log group of every stack has a retention from
 * config and a KMS key; and every log group an AWS service creates by name when
 * a resource asks it to log (EKS control plane, RDS exports, ElastiCache log
 * delivery, WAF logging, VPC flow logs, Lambda, Container Insights) is declared
 * in the same stack and region, so that AWS never creates it with neither.
 *
 * The expected names are computed from each resource's configuration. The checks
 * run over the whole app, over stand-in edge and observability stacks of each
 * shipped environment (literal inputs), and over hand-written resources that
 * show each computation can fail (Lambda and literal ARNs, which no layer uses yet).
 */

const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
const REF = /\$\{([a-z0-9_]+)\.([^.}\s]+)\.([a-z0-9_]+)\}/g;

function regionOf(app: SynthesizedApp, stack: string, provider: unknown): string | undefined {
  const providers = app.stacks.get(stack)?.provider?.aws ?? [];
  const alias = typeof provider === "string" ? provider.replace(/^aws\./, "") : undefined;
  return providers.find((p) => p.alias === alias)?.region;
}

function resourceAt(app: SynthesizedApp, stack: string, type: string, name: string): SynthResource | undefined {
  return app.resources.find((r) => r.stack === stack && r.type === type && r.name === name);
}

/** Replaces `${type.name.attr}` references to this stack's resources by the literal they hold (a log group's id is its name). */
function resolve(app: SynthesizedApp, stack: string, value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  return value.replace(REF, (whole, type: string, name: string, attr: string) => {
    const r = resourceAt(app, stack, type, name);
    const key = type === "aws_cloudwatch_log_group" && (attr === "id" || attr === "arn") ? "name" : attr;
    const v = r?.config[key];
    return typeof v === "string" && !v.includes("${") ? v : whole;
  });
}

/** A log group an AWS service writes to on a resource's behalf. */
interface Need {
  readonly resource: SynthResource;
  /** The log group's name as AWS derives it (references resolved where they can be). */
  readonly name: string;
  readonly why: string;
}

/** The log group name a destination (reference, name or ARN) designates. */
function destinationName(app: SynthesizedApp, stack: string, destination: unknown): string | undefined {
  const resolved = resolve(app, stack, destination);
  if (resolved === undefined) return undefined;
  const arn = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:([^:]+)(:\*)?$/.exec(resolved);
  return arn ? arn[1] : resolved;
}

const CONTAINER_INSIGHTS_GROUPS = ["performance", "application", "dataplane", "host"];

/** Every log group that a resource makes AWS create, with the name AWS gives it. */
function needsOf(app: SynthesizedApp): Need[] {
  return app.resources.flatMap((r): Need[] => {
    const c = r.config;
    const res = (v: unknown) => resolve(app, r.stack, v) ?? String(v);
    switch (r.type) {
      case "aws_eks_cluster":
        return asList(c.enabled_cluster_log_types).length > 0 ? [{ resource: r, name: `/aws/eks/${res(c.name)}/cluster`, why: "EKS control-plane logs" }] : [];
      case "aws_db_instance":
        return asList<string>(c.enabled_cloudwatch_logs_exports).map((log) => ({ resource: r, name: `/aws/rds/instance/${res(c.identifier)}/${log}`, why: `RDS ${log} log export` }));
      case "aws_rds_cluster":
        return asList<string>(c.enabled_cloudwatch_logs_exports).map((log) => ({ resource: r, name: `/aws/rds/cluster/${res(c.cluster_identifier)}/${log}`, why: `RDS cluster ${log} log export` }));
      case "aws_elasticache_replication_group":
      case "aws_elasticache_cluster":
        return asList<any>(c.log_delivery_configuration)
          .filter((d) => d.destination_type === "cloudwatch-logs")
          .map((d) => ({ resource: r, name: destinationName(app, r.stack, d.destination)!, why: `ElastiCache ${d.log_type} delivery` }));
      case "aws_wafv2_web_acl_logging_configuration":
        return asList<string>(c.log_destination_configs)
          .map((d) => destinationName(app, r.stack, d)!)
          .filter((n) => !/^arn:[^:]+:(s3|firehose):/.test(n))
          .map((name) => ({ resource: r, name, why: "WAF logging" }));
      case "aws_flow_log":
        if ((c.log_destination_type ?? "cloud-watch-logs") !== "cloud-watch-logs") return [];
        return [{ resource: r, name: destinationName(app, r.stack, c.log_destination ?? c.log_group_name)!, why: "VPC flow logs" }];
      case "aws_lambda_function":
        return [{ resource: r, name: res(asList<any>(c.logging_config)[0]?.log_group ?? `/aws/lambda/${res(c.function_name)}`), why: "Lambda function logs" }];
      case "aws_route53_query_log":
        return [{ resource: r, name: destinationName(app, r.stack, c.cloudwatch_log_group_arn)!, why: "Route 53 query logs" }];
      case "aws_eks_addon":
        return c.addon_name === "amazon-cloudwatch-observability"
          ? CONTAINER_INSIGHTS_GROUPS.map((kind) => ({ resource: r, name: `/aws/containerinsights/${res(c.cluster_name)}/${kind}`, why: `Container Insights ${kind} logs` }))
          : [];
      default:
        return [];
    }
  });
}

function undeclaredOffenders(app: SynthesizedApp): string[] {
  return needsOf(app).flatMap(({ resource: r, name, why }) => {
    const region = regionOf(app, r.stack, r.config.provider);
    const groups = app.ofType("aws_cloudwatch_log_group").filter((g) => g.stack === r.stack && resolve(app, g.stack, g.config.name) === name);
    if (groups.length === 0) return [`${r.address} (${why}) writes to log group ${name}, which ${r.stack} does not declare (AWS would create it without retention or key)`];
    if (!groups.some((g) => regionOf(app, g.stack, g.config.provider) === region)) {
      return [`${r.address} (${why}) writes to log group ${name} in ${region}, but ${groups.map((g) => g.address).join(", ")} is in ${regionOf(app, groups[0].stack, groups[0].config.provider)}`];
    }
    return [];
  });
}

/** Retention periods a stack's log groups may have: the environment's, and the network layer's flow-log override. */
function allowedRetention(stack: string): number[] | undefined {
  const envName = stack.slice(0, stack.lastIndexOf("-"));
  if (!SHIPPED_ENVIRONMENTS.includes(envName as never)) return undefined;
  const env = shippedEnvironment(envName);
  const flow = stack.endsWith("-network") ? env.network.flowLogs?.retentionDays : undefined;
  return [env.logRetentionDays, ...(flow ? [flow] : [])];
}

function retentionOffenders(app: SynthesizedApp): string[] {
  return app.ofType("aws_cloudwatch_log_group").flatMap((g) => {
    const days = g.config.retention_in_days;
    if (typeof days !== "number" || !(LOG_RETENTION_DAYS as readonly number[]).includes(days)) return [`${g.address}: retention_in_days is ${JSON.stringify(days)}, not a CloudWatch Logs retention period (kept forever)`];
    const allowed = allowedRetention(g.stack);
    return allowed && !allowed.includes(days) ? [`${g.address}: retention_in_days is ${days}, config says ${allowed.join(" or ")}`] : [];
  });
}

function keyOffenders(app: SynthesizedApp): string[] {
  return app.ofType("aws_cloudwatch_log_group").flatMap((g) => {
    const key = g.config.kms_key_id;
    if (typeof key !== "string" || key === "") return [`${g.address}: no kms_key_id (encrypted with a CloudWatch-owned key)`];
    // A key of the same stack must be in the log group's region (a KMS key serves only its region).
    const m = /^\$\{aws_kms_key\.([^.}]+)\.arn\}$/.exec(key);
    const local = m ? resourceAt(app, g.stack, "aws_kms_key", m[1]) : undefined;
    if (local && regionOf(app, g.stack, local.config.provider) !== regionOf(app, g.stack, g.config.provider)) {
      return [`${g.address}: key ${local.address} is in ${regionOf(app, g.stack, local.config.provider)}, the log group in ${regionOf(app, g.stack, g.config.provider)}`];
    }
    const arnRegion = /^arn:[^:]+:kms:([^:]+):/.exec(key)?.[1];
    if (arnRegion && arnRegion !== regionOf(app, g.stack, g.config.provider)) return [`${g.address}: key ${key} is in ${arnRegion}, the log group in ${regionOf(app, g.stack, g.config.provider)}`];
    return [];
  });
}

function standIns(): SynthesizedApp {
  return standInApp(
    SHIPPED_ENVIRONMENTS.flatMap((name) => {
      const environment = shippedEnvironment(name);
      const logsKeyArn = `arn:aws:kms:${environment.region}:${environment.accountId}:key/logs`;
      return [
        new EdgeStack(testApp(), {
          environment,
          network: { vpcId: "vpc-0", publicSubnetIds: ["subnet-a", "subnet-b"], securityGroupIds: { alb: "sg-alb" }, hostedZoneId: "Z0EXAMPLE" },
          data: { logsKeyArn, buckets: { logs: { name: "logs" } } },
        }),
        new ObservabilityStack(testApp(), { environment, ...observabilityInputs(name) }),
      ];
    }),
  );
}

/** A hand-written stack of `dev` holding the given resources, with primary and us-east-1 providers. */
function handWritten(resource: Record<string, Record<string, Record<string, unknown>>>): SynthesizedApp {
  const json: SynthJson = {
    provider: { aws: [{ region: "eu-west-1" }, { alias: "us_east_1", region: "us-east-1" }] },
    resource,
  };
  return appOfJson(new Map([["dev-data", json]]));
}

const GROUP = (name: string, extra: Record<string, unknown> = {}) => ({ name, retention_in_days: 30, kms_key_id: "arn:aws:kms:eu-west-1:111111111111:key/logs", ...extra });

const apps: [string, () => SynthesizedApp][] = [
  ["the whole app", synthesizedApp],
  ["stand-in edge and observability stacks", standIns],
];

describe.each(apps)("policy: log groups (%s)", (_label, load) => {
  const app = load();

  test("every log group has a retention period from config", () => {
    expect(retentionOffenders(app)).toEqual([]);
  });

  test("every log group has a KMS key of its region", () => {
    expect(keyOffenders(app)).toEqual([]);
  });

  test("every log group an AWS service creates by name is declared in the same stack and region", () => {
    expect(undeclaredOffenders(app)).toEqual([]);
  });
});

describe("policy: log-group checks see what they check", () => {
  test("the apps hold log groups AWS would otherwise create: EKS, flow logs, WAF, Container Insights", () => {
    const found = (app: SynthesizedApp) => new Set(needsOf(app).map((n) => n.why.split(" ")[0]));
    expect([...found(synthesizedApp())]).toEqual(expect.arrayContaining(["EKS", "VPC", "RDS", "ElastiCache", "WAF", "Container"]));
    expect([...found(standIns())].sort()).toEqual(["Container", "WAF"]);
    // Both WAF ACLs: the REGIONAL one's group in the primary region, the CLOUDFRONT one's in us-east-1.
    const waf = needsOf(standIns()).filter((n) => n.why === "WAF logging" && n.resource.stack === "prod-edge");
    expect(waf.map((n) => n.name).sort()).toEqual(["aws-waf-logs-upskill-prod-cloudfront", "aws-waf-logs-upskill-prod-regional"]);
  });

  test("RDS exports of the primary and replicas, ElastiCache delivery, Lambda and literal-ARN destinations are computed from the configs", () => {
    const app = handWritten({
      aws_db_instance: {
        primary: { identifier: "upskill-dev-postgres", enabled_cloudwatch_logs_exports: ["postgresql", "upgrade"] },
        replica: { identifier: "upskill-dev-postgres-replica-1", enabled_cloudwatch_logs_exports: ["postgresql"] },
      },
      aws_elasticache_replication_group: {
        cache: { log_delivery_configuration: [{ destination: "${aws_cloudwatch_log_group.slow.name}", destination_type: "cloudwatch-logs", log_type: "slow-log" }] },
      },
      aws_lambda_function: { fn: { function_name: "upskill-dev-rotate" } },
      aws_flow_log: { flow: { log_destination: "arn:aws:logs:eu-west-1:111111111111:log-group:/upskill-dev/vpc-flow-logs", vpc_id: "vpc-1" } },
      aws_cloudwatch_log_group: {
        slow: GROUP("/aws/elasticache/upskill-dev-cache/slow-log"),
      },
    });
    expect(needsOf(app).map((n) => n.name).sort()).toEqual([
      "/aws/elasticache/upskill-dev-cache/slow-log",
      "/aws/lambda/upskill-dev-rotate",
      "/aws/rds/instance/upskill-dev-postgres-replica-1/postgresql",
      "/aws/rds/instance/upskill-dev-postgres/postgresql",
      "/aws/rds/instance/upskill-dev-postgres/upgrade",
      "/upskill-dev/vpc-flow-logs",
    ]);
    expect(undeclaredOffenders(app)).toEqual([
      "dev-data/aws_db_instance.primary (RDS postgresql log export) writes to log group /aws/rds/instance/upskill-dev-postgres/postgresql, which dev-data does not declare (AWS would create it without retention or key)",
      "dev-data/aws_db_instance.primary (RDS upgrade log export) writes to log group /aws/rds/instance/upskill-dev-postgres/upgrade, which dev-data does not declare (AWS would create it without retention or key)",
      "dev-data/aws_db_instance.replica (RDS postgresql log export) writes to log group /aws/rds/instance/upskill-dev-postgres-replica-1/postgresql, which dev-data does not declare (AWS would create it without retention or key)",
      "dev-data/aws_lambda_function.fn (Lambda function logs) writes to log group /aws/lambda/upskill-dev-rotate, which dev-data does not declare (AWS would create it without retention or key)",
      "dev-data/aws_flow_log.flow (VPC flow logs) writes to log group /upskill-dev/vpc-flow-logs, which dev-data does not declare (AWS would create it without retention or key)",
    ]);
  });

  test("references to the creating resource's own name are resolved (an EKS cluster named by reference)", () => {
    const app = handWritten({
      aws_eks_cluster: { eks: { name: "upskill-dev", enabled_cluster_log_types: ["api", "audit"] } },
      aws_eks_addon: { ci: { cluster_name: "${aws_eks_cluster.eks.name}", addon_name: "amazon-cloudwatch-observability" } },
      aws_cloudwatch_log_group: {
        cp: GROUP("/aws/eks/upskill-dev/cluster"),
        ...Object.fromEntries(CONTAINER_INSIGHTS_GROUPS.map((k) => [k, GROUP("/aws/containerinsights/${aws_eks_cluster.eks.name}/" + k)])),
      },
    });
    expect(needsOf(app)).toHaveLength(5);
    expect(undeclaredOffenders(app)).toEqual([]);
  });

  test("a log group declared in another region than its writer is named", () => {
    const app = handWritten({
      aws_wafv2_web_acl_logging_configuration: { cf: { provider: "aws.us_east_1", log_destination_configs: ["${aws_cloudwatch_log_group.waf.arn}"] } },
      aws_cloudwatch_log_group: { waf: GROUP("aws-waf-logs-upskill-dev-cloudfront") },
    });
    expect(undeclaredOffenders(app)).toEqual([
      "dev-data/aws_wafv2_web_acl_logging_configuration.cf (WAF logging) writes to log group aws-waf-logs-upskill-dev-cloudfront in us-east-1, but dev-data/aws_cloudwatch_log_group.waf is in eu-west-1",
    ]);
  });

  test("a log group without retention, with another retention than config's, without a key or with another region's key is named", () => {
    const app = handWritten({
      aws_cloudwatch_log_group: {
        forever: { name: "a", kms_key_id: "arn:aws:kms:eu-west-1:111111111111:key/k" },
        other: GROUP("b", { retention_in_days: 90 }),
        plain: { name: "c", retention_in_days: 30 },
        far: GROUP("d", { kms_key_id: "arn:aws:kms:us-east-1:111111111111:key/k" }),
      },
    });
    expect(retentionOffenders(app)).toEqual([
      "dev-data/aws_cloudwatch_log_group.forever: retention_in_days is undefined, not a CloudWatch Logs retention period (kept forever)",
      `dev-data/aws_cloudwatch_log_group.other: retention_in_days is 90, config says ${shippedEnvironment("dev").logRetentionDays}`,
    ]);
    expect(keyOffenders(app)).toEqual([
      "dev-data/aws_cloudwatch_log_group.plain: no kms_key_id (encrypted with a CloudWatch-owned key)",
      "dev-data/aws_cloudwatch_log_group.far: key arn:aws:kms:us-east-1:111111111111:key/k is in us-east-1, the log group in eu-west-1",
    ]);
  });
});
