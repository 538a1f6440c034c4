import { Construct } from "constructs";
import type { TerraformProvider, ITerraformDependable } from "cdktf";
import { JobV1 } from "@cdktf/provider-kubernetes/lib/job-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { WorkloadRole } from "../workload-role/workload-role";
import { provisioningSql, type DatabaseRoleGrant } from "./provisioning-sql";

export interface DatabaseProvisionerProps {
  /** IAM role name, e.g. `upskill-prod-db-provisioner`. */
  readonly roleName: string;
  readonly clusterName: string;
  readonly accountId: string;
  readonly region: string;
  readonly namespace: string;
  /** The job's service account: the only one whose role reads the master user secret. Default: `db-provisioner`. */
  readonly serviceAccount?: string;
  readonly database: {
    readonly writerHost: string;
    readonly port: number | string;
    readonly name: string;
    readonly masterUsername: string;
    /** The RDS-managed master user secret and the key encrypting it. */
    readonly masterSecretArn: string;
    readonly kmsKeyArn: string;
  };
  /** The services' roles and their access (config `app.services[].database`). */
  readonly grants: readonly DatabaseRoleGrant[];
  /**
   * Images, pinned. Default: AWS CLI v2 and PostgreSQL's client from the public ECR gallery
   * (reachable through the nodes' 443 egress); mirror them into the account's ECR and pin
   * digests where the registry policy requires it.
   */
  readonly images?: { readonly awsCli: string; readonly psql: string };
  readonly kubernetesProvider?: TerraformProvider;
  readonly awsProvider?: TerraformProvider;
  readonly dependsOn?: ITerraformDependable[];
}

const DEFAULT_IMAGES = { awsCli: "public.ecr.aws/aws-cli/aws-cli:2.27.50", psql: "public.ecr.aws/docker/library/postgres:17.5-alpine" };

/**
 * Creates each app service's PostgreSQL role (IAM authentication, no password)
 * with the grants its config asks for, as a Kubernetes Job run on every apply
 * that changes them (the SQL is in the Job's spec, so a change replaces the Job).
 * Its workload role alone may read the RDS-managed master user secret: an init
 * container fetches it into a memory-only volume, the psql container runs
 * `provisioningSql` and the pod ends. No long-running workload holds the
 * superuser's credentials.
 */
export class DatabaseProvisioner extends Construct {
  readonly role: WorkloadRole;
  readonly job: JobV1;
  readonly sql: string;

  constructor(scope: Construct, id: string, props: DatabaseProvisionerProps) {
    super(scope, id);
    if (props.grants.length === 0) throw new Error(`DatabaseProvisioner ${id}: no service has database access; do not create the provisioner`);
    const serviceAccount = props.serviceAccount ?? "db-provisioner";
    const images = props.images ?? DEFAULT_IMAGES;
    const db = props.database;
    this.sql = provisioningSql(db.name, props.grants);

    this.role = new WorkloadRole(this, "role", {
      name: props.roleName,
      clusterName: props.clusterName,
      accountId: props.accountId,
      namespace: props.namespace,
      serviceAccount,
      description: `The database provisioning job: reads the master user secret to create the services' roles`,
      statements: [
        { Sid: "ReadMasterUserSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: [db.masterSecretArn] },
        {
          Sid: "DecryptMasterUserSecret",
          Effect: "Allow",
          Action: ["kms:Decrypt"],
          Resource: [db.kmsKeyArn],
          Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${props.region}.amazonaws.com` } },
        },
      ],
      provider: props.awsProvider,
    });
    const account = new ServiceAccountV1(this, "service-account", {
      metadata: { name: serviceAccount, namespace: props.namespace },
      automountServiceAccountToken: false,
      provider: props.kubernetesProvider,
    });

    const restricted = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
    const work = [{ name: "work", mountPath: "/work" }];
    this.job = new JobV1(this, "job", {
      metadata: { name: "db-provisioner", namespace: props.namespace, labels: { "app.kubernetes.io/name": "db-provisioner" } },
      spec: {
        backoffLimit: 3,
        template: {
          metadata: { labels: { "app.kubernetes.io/name": "db-provisioner" } },
          spec: {
            serviceAccountName: serviceAccount,
            restartPolicy: "Never",
            securityContext: { runAsNonRoot: true, runAsUser: "70", runAsGroup: "70", seccompProfile: { type: "RuntimeDefault" } },
            initContainer: [
              {
                name: "fetch-master-secret",
                image: images.awsCli,
                command: ["/bin/sh", "-ec"],
                args: [`aws secretsmanager get-secret-value --region ${props.region} --secret-id '${db.masterSecretArn}' --query SecretString --output text > /work/master.json`],
                env: [{ name: "HOME", value: "/work" }],
                volumeMount: work,
                securityContext: restricted,
              },
            ],
            container: [
              {
                name: "provision",
                image: images.psql,
                command: ["/bin/sh", "-ec"],
                args: [
                  // RDS-managed passwords hold no '"', '/', '@' or space; JSON escapes only '\\'.
                  [
                    `export PGPASSWORD="$(sed -n 's/.*"password" *: *"\\(\\([^"\\\\]\\|\\\\.\\)*\\)".*/\\1/p' /work/master.json | sed 's/\\\\\\\\/\\\\/g')"`,
                    `printf '%s' "$PROVISIONING_SQL" | psql "host=${db.writerHost} port=${db.port} dbname=${db.name} user=${db.masterUsername} sslmode=require"`,
                  ].join("\n"),
                ],
                env: [{ name: "PROVISIONING_SQL", value: this.sql }, { name: "HOME", value: "/work" }],
                volumeMount: work,
                securityContext: restricted,
              },
            ],
            volume: [{ name: "work", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } }],
          },
        },
      },
      waitForCompletion: true,
      timeouts: { create: "10m", update: "10m" },
      provider: props.kubernetesProvider,
      dependsOn: [account, ...(this.role.association ? [this.role.association] : []), ...(props.dependsOn ?? [])],
    });
  }
}
