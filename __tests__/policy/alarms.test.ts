import { ObservabilityStack } from "../../stacks/observability-stack";
import { shippedEnvironment, SHIPPED_ENVIRONMENTS, testApp } from "../support/fixtures";
import { observabilityInputs } from "../support/observability-fakes";
import { standInApp } from "../support/stand-in-app";
import { synthesizedApp, type SynthesizedApp, type SynthResource } from "../support/synthesized-app";

/**
 * Alarm baselines: every alarm notifies on ALARM and on OK; alarms on metrics
 * that exist only in us-east-1 (CloudFront, Route 53 health checks) use a
 * us-east-1 provider and a topic of that region; health alarms treat missing
 * data as breaching.
 *
 * The checks run over the whole app (where the cache members are one list
 * reference, so their alarms use for_each) and over every shipped environment's
 * ObservabilityStack built with literal stand-ins for the layers it reads (one
 * alarm per member), so that both shapes are held to them.
 */

/** Namespaces whose metrics CloudWatch keeps in us-east-1 only. */
const US_EAST_1_NAMESPACES = ["AWS/CloudFront", "AWS/Route53"];

/** Health metrics: silence means the thing is down or unobserved. */
const HEALTH_METRICS: Record<string, string[]> = {
  "AWS/Route53": ["HealthCheckStatus"],
  "AWS/ApplicationELB": ["UnHealthyHostCount", "HealthyHostCount"],
  "AWS/RDS": ["ReplicaLag"],
  ContainerInsights: ["cluster_failed_node_count"],
};

function regionOf(app: SynthesizedApp, r: SynthResource): string | undefined {
  const providers = app.stacks.get(r.stack)?.provider?.aws ?? [];
  const alias = typeof r.config.provider === "string" ? r.config.provider.replace(/^aws\./, "") : undefined;
  return providers.find((p) => p.alias === alias)?.region;
}

/** The SNS topic a `${aws_sns_topic.<name>.arn}` reference in the same stack points at. */
function topicOf(app: SynthesizedApp, stack: string, ref: unknown): SynthResource | undefined {
  const m = typeof ref === "string" ? /^\$\{aws_sns_topic\.([^.}]+)\.arn\}$/.exec(ref) : null;
  return m ? app.resources.find((r) => r.stack === stack && r.type === "aws_sns_topic" && r.name === m[1]) : undefined;
}

const alarmsOf = (app: SynthesizedApp) => app.ofType("aws_cloudwatch_metric_alarm");

function actionOffenders(app: SynthesizedApp): string[] {
  return alarmsOf(app).flatMap((a) => {
    const problems: string[] = [];
    for (const key of ["alarm_actions", "ok_actions"]) {
      const actions = a.config[key];
      if (!Array.isArray(actions) || actions.length === 0) {
        problems.push(`${a.address}: no ${key}`);
        continue;
      }
      // A topic of this stack must be in the alarm's region (CloudWatch notifies only its own region's topics).
      for (const action of actions) {
        const topic = topicOf(app, a.stack, action);
        if (topic && regionOf(app, topic) !== regionOf(app, a)) problems.push(`${a.address}: ${key} notify ${topic.address} in ${regionOf(app, topic)}, the alarm is in ${regionOf(app, a)}`);
      }
    }
    return problems;
  });
}

function regionOffenders(app: SynthesizedApp): string[] {
  return alarmsOf(app)
    .filter((a) => US_EAST_1_NAMESPACES.includes(a.config.namespace))
    .filter((a) => regionOf(app, a) !== "us-east-1")
    .map((a) => `${a.address}: ${a.config.namespace} metrics exist only in us-east-1, the alarm is in ${regionOf(app, a)}`);
}

function missingDataOffenders(app: SynthesizedApp): string[] {
  return alarmsOf(app)
    .filter((a) => (HEALTH_METRICS[a.config.namespace] ?? []).includes(a.config.metric_name))
    .filter((a) => a.config.treat_missing_data !== "breaching")
    .map((a) => `${a.address}: health metric ${a.config.metric_name} treats missing data as ${a.config.treat_missing_data ?? "missing"}, not breaching`);
}

function nameOffenders(app: SynthesizedApp): string[] {
  return alarmsOf(app).flatMap((a) => {
    const env = a.stack.slice(0, a.stack.lastIndexOf("-"));
    const prefix = SHIPPED_ENVIRONMENTS.includes(env as never) ? shippedEnvironment(env).names.prefix : `upskill-${env}`;
    return typeof a.config.alarm_name === "string" && a.config.alarm_name.startsWith(`${prefix}-`) ? [] : [`${a.address}: alarm name ${a.config.alarm_name} does not start with ${prefix}-`];
  });
}

function observabilityFixtureApp(): SynthesizedApp {
  return standInApp(SHIPPED_ENVIRONMENTS.map((name) => new ObservabilityStack(testApp(), { environment: shippedEnvironment(name), ...observabilityInputs(name) })));
}

const apps: [string, () => SynthesizedApp][] = [
  ["the whole app", synthesizedApp],
  ["the observability stacks", observabilityFixtureApp],
];

describe.each(apps)("policy: alarms (%s)", (_label, load) => {
  const app = load();

  test("every metric alarm has alarm and OK actions, on a topic of its own region", () => {
    expect(actionOffenders(app)).toEqual([]);
  });

  test("every CloudFront and Route 53 alarm uses a us-east-1 provider", () => {
    expect(regionOffenders(app)).toEqual([]);
  });

  test("every health alarm treats missing data as breaching", () => {
    expect(missingDataOffenders(app)).toEqual([]);
  });

  test("every alarm is named <prefix>-...", () => {
    expect(nameOffenders(app)).toEqual([]);
  });

  test("every environment with an observability layer alarms on each tier", () => {
    const stacks = [...app.stacks.keys()].filter((s) => s.endsWith("-observability"));
    for (const stack of stacks) {
      const namespaces = new Set(alarmsOf(app).filter((a) => a.stack === stack).map((a) => a.config.namespace));
      expect([stack, [...namespaces].sort()]).toEqual([
        stack,
        ["AWS/ApplicationELB", "AWS/Backup", "AWS/CloudFront", "AWS/ElastiCache", "AWS/NATGateway", "AWS/RDS", "AWS/Route53", "AWS/S3", "ContainerInsights"],
      ]);
    }
  });
});

describe("policy: alarm checks see what they check", () => {
  test("the stand-in app holds each environment's alarms, us-east-1 ones included", () => {
    const app = observabilityFixtureApp();
    for (const env of SHIPPED_ENVIRONMENTS) {
      const alarms = alarmsOf(app).filter((a) => a.stack === `${env}-observability`);
      expect(alarms.length).toBeGreaterThan(20);
      expect(alarms.filter((a) => regionOf(app, a) === "us-east-1").map((a) => a.config.namespace).sort()).toEqual(["AWS/CloudFront", "AWS/Route53"]);
    }
  });

  test("each check names the offending alarm", () => {
    const broken = observabilityFixtureApp();
    const [first, second] = alarmsOf(broken);
    delete first.config.ok_actions;
    second.config.alarm_actions = [];
    const cdn = alarmsOf(broken).find((a) => a.config.namespace === "AWS/CloudFront")!;
    delete cdn.config.provider;
    const health = alarmsOf(broken).find((a) => a.config.metric_name === "HealthCheckStatus")!;
    health.config.treat_missing_data = "notBreaching";
    const unhealthy = alarmsOf(broken).find((a) => a.config.metric_name === "UnHealthyHostCount")!;
    unhealthy.config.alarm_name = "other-alarm";

    expect(actionOffenders(broken)).toEqual(
      expect.arrayContaining([`${first.address}: no ok_actions`, `${second.address}: no alarm_actions`, expect.stringMatching(new RegExp(`^${cdn.address.replace(/[.$]/g, "\\$&")}: alarm_actions notify .* in us-east-1, the alarm is in eu-west-1$`))]),
    );
    expect(regionOffenders(broken)).toEqual([`${cdn.address}: AWS/CloudFront metrics exist only in us-east-1, the alarm is in eu-west-1`]);
    expect(missingDataOffenders(broken)).toEqual([`${health.address}: health metric HealthCheckStatus treats missing data as notBreaching, not breaching`]);
    expect(nameOffenders(broken)).toEqual([`${unhealthy.address}: alarm name other-alarm does not start with ${shippedEnvironment(unhealthy.stack.replace(/-observability$/, "")).names.prefix}-`]);
  });
});
