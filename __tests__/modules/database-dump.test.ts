import { Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { DatabaseDump, dumpPolicyStatements, DUMP_PREFIX, type DatabaseDumpProps } from "../../modules/database-dump/database-dump";
import { DumpAlarms } from "../../modules/alarms/dump-alarms";
import { DUMP_METRICS_FILTER } from "../../modules/database-dump/dump-location";

const PROPS: Omit<DatabaseDumpProps, "kubernetesProvider"> = {
  prefix: "upskill-prod",
  clusterName: "upskill-prod",
  accountId: "111111111111",
  region: "eu-west-1",
  namespace: "upskill",
  schedule: "30 4 * * *",
  database: { host: "db.example.internal", port: 5432, name: "upskill", resourceId: "db-ABC", engineVersion: "17", dumpRole: "upskill_dump" },
  bucket: { name: "upskill-prod-backups-111111111111", arn: "arn:aws:s3:::upskill-prod-backups-111111111111", kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/buckets" },
  scratchGi: 20,
};

function synth(props: Partial<DatabaseDumpProps> = {}) {
  return JSON.parse(
    Testing.synthScope((scope) => {
      new AwsProvider(scope, "aws", { region: "eu-west-1" });
      const k = new KubernetesProvider(scope, "k8s", {});
      new DatabaseDump(scope, "dump", { ...PROPS, kubernetesProvider: k, ...props });
    }),
  );
}

describe("DatabaseDump", () => {
  const json = synth();
  const job = Object.values<any>(json.resource.kubernetes_cron_job_v1)[0];
  const pod = job.spec.job_template.spec.template.spec;

  test("a CronJob on config's schedule that never overlaps, on the core nodes, as its own service account", () => {
    expect(job.metadata).toMatchObject({ name: "upskill-prod-database-dump", namespace: "upskill" });
    expect(job.spec).toMatchObject({ schedule: "30 4 * * *", concurrency_policy: "Forbid", starting_deadline_seconds: 3600 });
    expect(pod.node_selector).toEqual({ "upskill.io/node-class": "core" });
    expect(pod.service_account_name).toBe("${kubernetes_service_account_v1.dump_service-account_" + Object.keys(json.resource.kubernetes_service_account_v1)[0]!.split("_").pop() + ".metadata[0].name}");
    expect(pod.restart_policy).toBe("Never");
    // Pod Identity needs no Kubernetes API token.
    expect(Object.values<any>(json.resource.kubernetes_service_account_v1)[0].automount_service_account_token).toBe(false);
  });

  test("token and CA bundle, then pg_dump (custom format, compressed, verified TLS) as the dump role, then the upload under a dated prefix", () => {
    expect(pod.init_container.map((c: any) => c.name)).toEqual(["token", "pg-dump"]);
    const [token, dump] = pod.init_container;
    expect(token.args[0]).toContain('aws rds generate-db-auth-token --hostname "db.example.internal" --port 5432 --username "upskill_dump" --region eu-west-1');
    expect(dump.image).toBe("public.ecr.aws/docker/library/postgres:17-alpine");
    expect(dump.args[0]).toMatch(/pg_dump --format=custom --compress=6 .*--schema=public .*user=upskill_dump sslmode=verify-full sslrootcert=\/work\/rds-ca\.pem/);
    const [upload] = pod.container;
    expect(upload.args[0]).toContain(`"s3://upskill-prod-backups-111111111111/${DUMP_PREFIX}$(date -u +%Y/%m/%d)/upskill-`);
    expect(pod.volume).toEqual([{ name: "work", empty_dir: { size_limit: "20Gi" } }]);
  });

  test("every container meets the restricted pod security standard", () => {
    for (const c of [...pod.init_container, ...pod.container]) {
      expect(c.security_context).toMatchObject({ run_as_non_root: true, allow_privilege_escalation: false, read_only_root_filesystem: true, capabilities: { drop: ["ALL"] }, seccomp_profile: { type: "RuntimeDefault" } });
    }
  });

  test("no password anywhere: the job authenticates with an IAM token", () => {
    const dump = pod.init_container[1];
    expect(dump.args[0]).toMatch(/^PGPASSWORD="\$\(cat \/work\/token\)" pg_dump /);
    expect(dump.args[0]).toContain("rm -f /work/token");
    expect(JSON.stringify(job)).not.toMatch(/secret_key_ref|value_from/);
  });

  test("its role may log in as the dump role and put objects under the dumps prefix, nothing else", () => {
    const statements = dumpPolicyStatements(PROPS);
    const actions = statements.flatMap((s) => s.Action);
    expect(actions.sort()).toEqual(["kms:Decrypt", "kms:GenerateDataKey", "rds-db:connect", "s3:PutObject"]);
    expect(statements.find((s) => s.Sid === "PutDumps")!.Resource).toEqual([`${PROPS.bucket.arn}/postgres/*`]);
    expect(statements.find((s) => s.Sid === "ConnectAsDumpRole")!.Resource).toEqual(["arn:aws:rds-db:eu-west-1:111111111111:dbuser:db-ABC/upskill_dump"]);
    const role = Object.values<any>(json.resource.aws_iam_role)[0];
    expect(role.name).toBe("upskill-prod-database-dump");
    const association = Object.values<any>(json.resource.aws_eks_pod_identity_association)[0];
    expect(association).toMatchObject({ namespace: "upskill", service_account: "database-dump", cluster_name: "upskill-prod" });
  });

  test("refuses a bad schedule or role name", () => {
    expect(() => synth({ schedule: "daily" })).toThrow(/five-field cron/);
    expect(() => synth({ database: { ...PROPS.database, dumpRole: "Dump-Role" } })).toThrow(/PostgreSQL identifier/);
  });
});

describe("DumpAlarms", () => {
  const synthAlarm = (hours: number) =>
    JSON.parse(
      Testing.synthScope((scope) => {
        new AwsProvider(scope, "aws", { region: "eu-west-1" });
        new DumpAlarms(scope, "dumps", { prefix: "upskill-prod", topicArn: "arn:aws:sns:eu-west-1:111111111111:alerts", evaluation: { periodSeconds: 60, evaluationPeriods: 5 }, bucketName: "b", maxHoursBetweenDumps: hours });
      }),
    );

  test("alarms when no dump arrived for the configured hours; silence (no PutRequests datapoint) is breaching", () => {
    const alarm = Object.values<any>(synthAlarm(26).resource.aws_cloudwatch_metric_alarm)[0];
    expect(alarm).toMatchObject({
      alarm_name: "upskill-prod-database-dump-missed",
      namespace: "AWS/S3",
      metric_name: "PutRequests",
      dimensions: { BucketName: "b", FilterId: DUMP_METRICS_FILTER },
      statistic: "Sum",
      comparison_operator: "LessThanThreshold",
      threshold: 1,
      treat_missing_data: "breaching",
      period: 3600,
      evaluation_periods: 26,
      datapoints_to_alarm: 26,
      alarm_actions: ["arn:aws:sns:eu-west-1:111111111111:alerts"],
    });
  });

  test("refuses more than CloudWatch's 7 days", () => {
    expect(() => synthAlarm(169)).toThrow(/1-168/);
  });
});
