import * as fs from "node:fs";
import * as path from "node:path";
import type { Construct } from "constructs";
import { TerraformOutput, type TerraformStack, Token } from "cdktf";
import { DataAwsEcrImage } from "@cdktf/provider-aws/lib/data-aws-ecr-image";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { LayerStack, type LayerStackProps } from "./layer-stack";
import { DatabaseDump } from "../modules/database-dump/database-dump";
import { KmsKey } from "../modules/kms-key/kms-key";
import { EcrRepository } from "../modules/ecr-repository/ecr-repository";
import { KubernetesProviders } from "../modules/kubernetes-providers/kubernetes-providers";
import { HelmAddOn } from "../modules/helm-addon/helm-addon";
import { LocalChart } from "../modules/helm-addon/local-chart";
import { mergeValues } from "../modules/helm-addon/values";
import { podPlacement } from "../modules/app-service/placement";
import { databaseUserOf, servicePolicyStatements } from "../modules/app-service/service-permissions";
import { DatabaseProvisioner } from "../modules/database-provisioner/database-provisioner";
import { PlannerReleaseAccess } from "../modules/planner-access/planner-access";
import { COMPUTED_ONLY_KEYS, computedServiceValues } from "../modules/app-service/service-values";
import { assertNoComputedKeys, type ValuesLayer } from "../modules/app-service/values";
import { APP_CHART_DIR, HELM_VALUES_DIR, readHelmValues } from "./helm-values";
import { previousLogicalId } from "./previous-logical-id";

/** What the app layer reads from the data layer. */
export interface AppDataInputs {
  /** Encrypts the database's master user secret. */
  readonly databaseKeyArn: string;
  /** Encrypts the uploads bucket. */
  readonly bucketsKeyArn: string;
  readonly postgres: {
    readonly writerEndpoint: string;
    readonly readerEndpoints: readonly string[];
    readonly port: number;
    /** Read by the provisioning job only; no service's role names it. */
    readonly masterSecretArn: string;
    readonly masterUsername: string;
    readonly databaseName: string;
    /** Resource ids of the primary and of each replica: `rds-db:connect` names each. */
    readonly resourceId: string;
    readonly replicaResourceIds: readonly string[];
  };
  /** IAM-authenticated: the app connects as `appUserId` with a token signed by its workload role. */
  readonly cache: {
    readonly replicationGroupId: string;
    readonly replicationGroupArn: string;
    readonly primaryEndpoint: string;
    readonly readerEndpoint: string;
    readonly port: number;
    readonly appUserId: string;
    readonly appUserArn: string;
  };
  readonly buckets: { readonly uploads: { readonly name: string; readonly arn: string }; readonly backups: { readonly name: string; readonly arn: string } };
}

/** What the app layer reads from the cluster layer. */
export interface AppClusterInputs {
  readonly clusterName: string;
  readonly clusterEndpoint: string;
  readonly clusterCertificateAuthorityData: string;
}

/** What the app layer reads from the edge layer. */
export interface AppEdgeInputs {
  /** Target groups of the services with a port, by service name. */
  readonly targetGroups: Readonly<Record<string, { readonly arn: string }>>;
  readonly siteDistributionDomainName: string;
}

export interface AppStackProps extends LayerStackProps {
  readonly data: AppDataInputs;
  readonly cluster: AppClusterInputs;
  readonly edge: AppEdgeInputs;
  /**
   * Folder of the releases' values files: `<release>.yaml`, overridden by
   * `<env>/<release>.yaml` where present. Default: the repository's `helm-values/`.
   */
  readonly valuesDir?: string;
  /** The services' chart folder. Default: the repository's `charts/upskill-service/`. */
  readonly chartDir?: string;
}

/** Kubernetes namespace of the app's services. */
export const APP_NAMESPACE = "upskill";

/** Release and service account name of a service (the chart is `upskill-service` for all). */
export const releaseName = (service: string): string => `upskill-${service}`;

/**
 * `<env>-app`: ECR repositories for the app's images (one app KMS key), and
 * one Helm release per configured service in the `upskill` namespace, each of
 * the repository's chart `charts/upskill-service` (copied beside the stack, so
 * planning downloads nothing), with its workload role and the values from
 * `helm-values/` merged with what the earlier layers and config decide (image,
 * target group, endpoints, node placement).
 */
export class AppStack extends LayerStack {
  /** Image repository URL of each service. */
  readonly repositoryUrls: Record<string, string> = {};
  /** Workload role ARN of each service. */
  readonly workloadRoleArns: Record<string, string> = {};
  /** The Helm release of each service. */
  readonly releases: Record<string, HelmAddOn> = {};
  /** The services' chart, copied beside the synthesized stack. */
  readonly chart: LocalChart;

  constructor(scope: Construct, props: AppStackProps) {
    super(scope, "app", props);
    const env = this.environment;
    const app = env.app;
    const prefix = env.names.prefix;
    const { data, cluster, edge } = props;

    const key = new KmsKey(this, "app-key", {
      alias: `${prefix}/app`,
      description: `${prefix}: the app's ECR image repositories`,
      accountId: env.accountId,
    });
    const repository = (id: string, name: string) => new EcrRepository(this, id, { name, kmsKeyArn: key.keyArn, keepImages: app.keepImages });

    // One copy of the chart for every release of the stack; ECR keeps the images only.
    this.chart = new LocalChart(this, "service-chart", { directory: props.chartDir ?? APP_CHART_DIR });
    const providers = new KubernetesProviders(this, "kubernetes-access", {
      clusterName: cluster.clusterName,
      endpoint: cluster.clusterEndpoint,
      certificateAuthorityData: cluster.clusterCertificateAuthorityData,
      region: env.region,
    });
    const namespace = new NamespaceV1(this, "namespace", {
      metadata: {
        name: APP_NAMESPACE,
        // The values files run pods as non-root, read-only, without capabilities: hold them to it.
        labels: {
          "pod-security.kubernetes.io/enforce": "restricted",
          "pod-security.kubernetes.io/audit": "restricted",
          "pod-security.kubernetes.io/warn": "restricted",
          // The load balancer controller adds a readiness gate to pods behind a TargetGroupBinding:
          // a rolling update then waits until the new pod is healthy in its target group.
          "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled",
        },
      },
      provider: providers.kubernetes,
    });

    // The CI plan role reads this namespace's Helm release Secrets (the platform layer grants the rest).
    new PlannerReleaseAccess(this, "planner-release-access", { namespace: APP_NAMESPACE, provider: providers.kubernetes, dependsOn: [namespace] });

    // Each service with database access connects as its own role, which this job creates; it alone reads the master secret.
    const databaseServices = app.services.filter((s) => s.database !== "none");
    // The dump job's login role (read-only, IAM authentication) is provisioned with the services' roles.
    const dumpGrant = env.data.postgres.dumps ? [{ user: env.data.postgres.dumps.roleName, access: "read" as const }] : [];
    const provisioner =
      databaseServices.length > 0 || dumpGrant.length > 0
        ? new DatabaseProvisioner(this, "database-provisioner", {
            roleName: `${prefix}-db-provisioner`,
            clusterName: cluster.clusterName,
            accountId: env.accountId,
            region: env.region,
            namespace: APP_NAMESPACE,
            database: {
              writerHost: data.postgres.writerEndpoint,
              port: numberValue(data.postgres.port),
              name: data.postgres.databaseName,
              masterUsername: data.postgres.masterUsername,
              masterSecretArn: data.postgres.masterSecretArn,
              kmsKeyArn: data.databaseKeyArn,
            },
            grants: [...databaseServices.map((s) => ({ user: databaseUserOf(s.name), access: s.database as "read" | "readwrite" })), ...dumpGrant],
            kubernetesProvider: providers.kubernetes,
            dependsOn: [namespace],
          })
        : undefined;
    const resourceIds = [data.postgres.resourceId, ...data.postgres.replicaResourceIds];

    const dumps = env.data.postgres.dumps;
    if (dumps) {
      new DatabaseDump(this, "database-dump", {
        prefix,
        clusterName: cluster.clusterName,
        accountId: env.accountId,
        region: env.region,
        namespace: APP_NAMESPACE,
        schedule: dumps.schedule,
        database: {
          host: data.postgres.writerEndpoint,
          port: numberValue(data.postgres.port),
          name: env.data.postgres.databaseName,
          resourceId: data.postgres.resourceId,
          engineVersion: env.data.postgres.engineVersion,
          dumpRole: dumps.roleName,
        },
        bucket: { name: data.buckets.backups.name, arn: data.buckets.backups.arn, kmsKeyArn: data.bucketsKeyArn },
        scratchGi: dumps.scratchGi,
        kubernetesProvider: providers.kubernetes,
      }).node.addDependency(namespace);
    }

    for (const service of app.services) {
      const name = releaseName(service.name);
      const image = repository(`image-${service.name}`, `${prefix}/${service.name}`);
      // The tag the pods pull must be in the repository: a plan (or, before a new repository exists,
      // the apply, ahead of the releases) fails naming the image instead of a release timing out on pods
      // that cannot pull it. It reads the repository's name from the resource, so Terraform defers the
      // read to the apply where the repository is new (docs/runbook.md: the app's images).
      const pushed = new DataAwsEcrImage(this, `image-${service.name}-tag`, { repositoryName: image.repositoryName, imageTag: service.imageTag });
      const targetGroup = edge.targetGroups[service.name];
      if (service.port !== undefined && !targetGroup) {
        throw new Error(`AppStack: service ${service.name} has a port but the edge layer has no target group for it; give the edge stack the same app.services`);
      }
      const computedValues = computedServiceValues({
        releaseName: name,
        serviceAccount: name,
        image: { repository: image.repositoryUrl, tag: service.imageTag },
        http: service.port !== undefined ? { port: service.port, healthCheckPath: service.healthCheckPath } : undefined,
        targetGroupArn: service.port !== undefined ? targetGroup.arn : undefined,
        placement: podPlacement(service.nodeClass, env.cluster.nodeGroups),
        region: env.region,
        database:
          service.database === "none"
            ? undefined
            : {
                writerHost: data.postgres.writerEndpoint,
                readerHosts: data.postgres.readerEndpoints,
                port: numberValue(data.postgres.port),
                databaseName: data.postgres.databaseName,
                user: databaseUserOf(service.name),
              },
        cache: {
          primaryHost: data.cache.primaryEndpoint,
          readerHost: data.cache.readerEndpoint,
          port: numberValue(data.cache.port),
          replicationGroupId: data.cache.replicationGroupId,
          user: data.cache.appUserId,
        },
        uploadsBucket: service.uploadsAccess ? data.buckets.uploads.name : undefined,
        site: { domain: env.domain.name, cdnDomain: edge.siteDistributionDomainName },
      });
      const files = valuesFiles(props.valuesDir ?? HELM_VALUES_DIR, name, env.name);
      assertNoComputedKeys(files, computedValues, COMPUTED_ONLY_KEYS);
      const release = new HelmAddOn(this, `service-${service.name}`, {
        name,
        namespace: APP_NAMESPACE,
        createNamespace: false,
        localChart: this.chart,
        fileValues: mergeValues(...files.map((f) => f.values)),
        computedValues,
        role: {
          name: `${prefix}-app-${service.name}`,
          clusterName: cluster.clusterName,
          accountId: env.accountId,
          serviceAccount: name,
          managedPolicyArns: service.managedPolicyArns,
          statements: servicePolicyStatements({
            region: env.region,
            accountId: env.accountId,
            database: service.database === "none" ? undefined : { user: databaseUserOf(service.name), resourceIds },
            cache: { replicationGroupArn: data.cache.replicationGroupArn, userArn: data.cache.appUserArn },
            uploads: service.uploadsAccess
              ? { bucketArn: data.buckets.uploads.arn, kmsKeyArn: data.bucketsKeyArn, restoresArchived: env.data.buckets.uploadsArchive?.restoredBy === service.name }
              : undefined,
          }),
        },
        provider: providers.helm,
        dependsOn: [namespace, pushed, ...(provisioner && service.database !== "none" ? [provisioner.job] : [])],
      });
      this.releases[service.name] = release;
      this.repositoryUrls[service.name] = image.repositoryUrl;
      this.workloadRoleArns[service.name] = release.role!.roleArn;
    }

    forgetFormerChartRepositories(this, app.services.map((s) => s.name));

    new TerraformOutput(this, "image-repositories", { value: this.repositoryUrls, description: "Where CI pushes each service's images (docker push <url>:<tag>)" });
  }
}

/** A release's values files: `<dir>/<release>.yaml`, then `<dir>/<env>/<release>.yaml` where it exists (it overrides). */
function valuesFiles(dir: string, release: string, environment: string): ValuesLayer[] {
  const overlayDir = path.join(dir, environment);
  const shown = (d: string) => path.relative(path.dirname(dir), path.join(d, `${release}.yaml`));
  return [
    { source: shown(dir), values: readHelmValues(release, dir) },
    ...(fs.existsSync(path.join(overlayDir, `${release}.yaml`)) ? [{ source: shown(overlayDir), values: readHelmValues(release, overlayDir) }] : []),
  ];
}

/** A number from another stack may be a token: keep it one YAML scalar (a string at worst) rather than a mangled float. */
function numberValue(n: number): number | string {
  return Token.isUnresolved(n) ? Token.asString(n) : n;
}

/**
 * Until the chart moved into the repository (issue 12), each service's chart had an ECR
 * repository here (construct `chart-<service>`). Terraform forgets them (`removed`, destroy =
 * false) rather than deleting them: a non-empty repository cannot be deleted (force_delete is
 * off), and what was pushed stays for the record; delete them by hand when no longer wanted
 * (docs/architecture.md, upgrade notes). A no-op where they never existed.
 */
function forgetFormerChartRepositories(stack: TerraformStack, services: readonly string[]): void {
  const addresses = services.flatMap((s) => [
    `aws_ecr_repository.${previousLogicalId(stack, `chart-${s}/repository`)}`,
    `aws_ecr_lifecycle_policy.${previousLogicalId(stack, `chart-${s}/lifecycle`)}`,
  ]);
  stack.addOverride("removed", addresses.map((from) => ({ from, lifecycle: { destroy: false } })));
}
