import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { CronJobV1 } from "@cdktf/provider-kubernetes/lib/cron-job-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { WorkloadRole, type IamPolicyStatement } from "../workload-role/workload-role";
import { NODE_CLASS_LABEL } from "../helm-addon/placement";

import { DUMP_PREFIX } from "./dump-location";

export { DUMP_PREFIX };
/** Images of the job: the AWS CLI (IAM token, CA bundle, upload) and the PostgreSQL client of the server's major. */
export const AWS_CLI_IMAGE = "public.ecr.aws/aws-cli/aws-cli:2.27.49";
export const postgresClientImage = (major: string) => `public.ecr.aws/docker/library/postgres:${major}-alpine`;

export interface DatabaseDumpProps {
  /** `<project>-<env>`: names the role (`<prefix>-database-dump`) and the CronJob. */
  readonly prefix: string;
  readonly clusterName: string;
  readonly accountId: string;
  readonly region: string;
  readonly namespace: string;
  /** Kubernetes CronJob schedule, UTC. */
  readonly schedule: string;
  readonly database: {
    readonly host: string;
    /** A number, or a token of one (cross-stack references resolve as strings in the scripts). */
    readonly port: number | string;
    readonly name: string;
    /** The instance's resource id (`db-...`), for `rds-db:connect`. */
    readonly resourceId: string;
    /** PostgreSQL major version: pg_dump must be at least the server's. */
    readonly engineVersion: string;
    /** The login role pg_dump uses with an IAM token: read-only on schema public, made by the database provisioner. */
    readonly dumpRole: string;
  };
  /** The backups bucket and its key. */
  readonly bucket: { readonly name: string; readonly arn: string; readonly kmsKeyArn: string };
  /** Scratch volume for one dump, GiB. */
  readonly scratchGi: number;
  /** Default: the stack's default AWS provider. */
  readonly provider?: TerraformProvider;
  readonly kubernetesProvider?: TerraformProvider;
}

/**
 * The statements of the dump job's role: log in to the database as the dump role only, and put
 * objects under the dumps prefix of the backups bucket (no read, list or delete), its key used
 * through S3 for that bucket only (multipart uploads need kms:Decrypt as well as GenerateDataKey).
 */
export function dumpPolicyStatements(p: Pick<DatabaseDumpProps, "accountId" | "region" | "database" | "bucket">): IamPolicyStatement[] {
  return [
    {
      Sid: "ConnectAsDumpRole",
      Effect: "Allow",
      Action: ["rds-db:connect"],
      Resource: [`arn:aws:rds-db:${p.region}:${p.accountId}:dbuser:${p.database.resourceId}/${p.database.dumpRole}`],
    },
    { Sid: "PutDumps", Effect: "Allow", Action: ["s3:PutObject"], Resource: [`${p.bucket.arn}/${DUMP_PREFIX}*`] },
    {
      Sid: "EncryptDumpsThroughS3",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: [p.bucket.kmsKeyArn],
      Condition: {
        StringEquals: { "kms:ViaService": `s3.${p.region}.amazonaws.com` },
        StringLike: { "kms:EncryptionContext:aws:s3:arn": [p.bucket.arn, `${p.bucket.arn}/*`] },
      },
    },
  ];
}

const RESTRICTED = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

/**
 * A nightly logical dump of the database: a CronJob on the core (on-demand) nodes whose pod gets an
 * IAM token for the read-only dump role and the RDS CA bundle (init 1, AWS CLI), runs `pg_dump
 * --format=custom` (compressed) over verified TLS (init 2), then uploads the file to
 * `s3://<backups>/postgres/<yyyy>/<mm>/<dd>/` (AWS CLI). Each step runs only if the one before
 * succeeded, so a failed dump uploads nothing and the missed-dump alarm fires. No password
 * exists anywhere: the token lives 15 minutes in the pod's scratch volume.
 */
export class DatabaseDump extends Construct {
  readonly role: WorkloadRole;
  readonly cronJob: CronJobV1;
  readonly serviceAccountName: string;

  constructor(scope: Construct, id: string, props: DatabaseDumpProps) {
    super(scope, id);
    if (!/^(\S+\s+){4}\S+$/.test(props.schedule)) throw new Error(`DatabaseDump ${id}: schedule must be a five-field cron expression, got "${props.schedule}"`);
    if (!/^[a-z][a-z0-9_]{0,62}$/.test(props.database.dumpRole)) throw new Error(`DatabaseDump ${id}: database.dumpRole must be a PostgreSQL identifier, got "${props.database.dumpRole}"`);
    const name = "database-dump";
    this.serviceAccountName = name;
    const serviceAccount = new ServiceAccountV1(this, "service-account", {
      metadata: { name, namespace: props.namespace },
      // Pod Identity injects its own token; the job never talks to the Kubernetes API.
      automountServiceAccountToken: false,
      provider: props.kubernetesProvider,
    });
    this.role = new WorkloadRole(this, "role", {
      name: `${props.prefix}-database-dump`,
      description: `${props.prefix}: nightly pg_dump into the backups bucket (put only)`,
      clusterName: props.clusterName,
      accountId: props.accountId,
      namespace: props.namespace,
      serviceAccount: name,
      statements: dumpPolicyStatements(props),
      provider: props.provider,
    });

    const db = props.database;
    // HOME on the scratch volume (the root file system is read-only); the region goes on the command line.
    const env = () => [{ name: "HOME", value: "/work" }];
    const volumeMounts = [{ name: "work", mountPath: "/work" }];
    const securityContext = (uid: number) => ({ ...RESTRICTED, runAsUser: String(uid), runAsGroup: String(uid) });
    this.cronJob = new CronJobV1(this, "cron-job", {
      metadata: { name: `${props.prefix}-database-dump`, namespace: props.namespace, labels: { "app.kubernetes.io/name": name } },
      spec: {
        schedule: props.schedule,
        concurrencyPolicy: "Forbid",
        // A run that cannot start within an hour counts as missed (the alarm says so).
        startingDeadlineSeconds: 3600,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels: { "app.kubernetes.io/name": name } },
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: 6 * 3600,
            template: {
              metadata: { labels: { "app.kubernetes.io/name": name } },
              spec: {
                serviceAccountName: serviceAccount.metadata.name,
                restartPolicy: "Never",
                // Spot reclaims would cut a dump short: core (on-demand) nodes only.
                nodeSelector: { [NODE_CLASS_LABEL]: "core" },
                securityContext: { runAsNonRoot: true, fsGroup: "70", seccompProfile: { type: "RuntimeDefault" } },
                volume: [{ name: "work", emptyDir: { sizeLimit: `${props.scratchGi}Gi` } }],
                initContainer: [
                  {
                    name: "token",
                    image: AWS_CLI_IMAGE,
                    command: ["/bin/sh", "-ec"],
                    args: [
                      [
                        "curl -fsS https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem -o /work/rds-ca.pem",
                        `aws rds generate-db-auth-token --hostname "${db.host}" --port ${db.port} --username "${db.dumpRole}" --region ${props.region} > /work/token`,
                      ].join("\n"),
                    ],
                    env: env(),
                    volumeMount: volumeMounts,
                    securityContext: securityContext(70),
                  },
                  {
                    name: "pg-dump",
                    image: postgresClientImage(db.engineVersion),
                    command: ["/bin/sh", "-ec"],
                    args: [
                      `PGPASSWORD="$(cat /work/token)" pg_dump --format=custom --compress=6 --no-owner --schema=public --file=/work/${db.name}.dump "host=${db.host} port=${db.port} dbname=${db.name} user=${db.dumpRole} sslmode=verify-full sslrootcert=/work/rds-ca.pem"\nrm -f /work/token`,
                    ],
                    env: env(),
                    volumeMount: volumeMounts,
                    securityContext: securityContext(70),
                  },
                ],
                container: [
                  {
                    name: "upload",
                    image: AWS_CLI_IMAGE,
                    command: ["/bin/sh", "-ec"],
                    args: [
                      `aws s3 cp --region ${props.region} --only-show-errors /work/${db.name}.dump "s3://${props.bucket.name}/${DUMP_PREFIX}$(date -u +%Y/%m/%d)/${db.name}-$(date -u +%Y%m%dT%H%M%SZ).dump"`,
                    ],
                    env: env(),
                    volumeMount: volumeMounts,
                    securityContext: securityContext(70),
                    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } },
                  },
                ],
              },
            },
          },
        },
      },
      provider: props.kubernetesProvider,
    });
  }
}
