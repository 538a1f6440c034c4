import type { HelmValues } from "../helm-addon/values";
import type { PodPlacement } from "./placement";

/** Everything an app service's release learns from config and the earlier layers. */
export interface ServiceValuesInputs {
  /** Release name, also the chart's fullname and the pods' `app.kubernetes.io/name`, e.g. `upskill-api`. */
  readonly releaseName: string;
  /** The service account the chart creates; the workload role's pod identity association binds it. */
  readonly serviceAccount: string;
  readonly image: { readonly repository: string; readonly tag: string };
  /** Container port and health path; absent for services the load balancer does not reach. */
  readonly http?: { readonly port: number; readonly healthCheckPath: string };
  /** The ALB target group the pods register in through a TargetGroupBinding (services with a port). */
  readonly targetGroupArn?: string;
  readonly placement: PodPlacement;
  readonly region: string;
  /** Absent for services without database access. */
  readonly database?: {
    readonly writerHost: string;
    /** Read replicas' host names; with none, reads go to the writer. */
    readonly readerHosts: readonly string[];
    /** A string when it is a reference to another stack's output (a number token cannot be rendered). */
    readonly port: number | string;
    readonly databaseName: string;
    /** The service's own PostgreSQL role; the app signs an IAM auth token for it with its workload role. */
    readonly user: string;
  };
  readonly cache: {
    readonly primaryHost: string;
    readonly readerHost: string;
    readonly port: number | string;
    /** Replication group id: the IAM auth token is signed for it. */
    readonly replicationGroupId: string;
    /** User the app authenticates as with an IAM token. */
    readonly user: string;
  };
  /** The uploads bucket, for services with uploads access only. */
  readonly uploadsBucket?: string;
  readonly site: { readonly domain: string; readonly cdnDomain: string };
}

/** Top-level keys the computed values own as a whole: a values file must not set them. */
export const COMPUTED_ONLY_KEYS = ["affinity", "tolerations", "nodeSelector", "serviceAccount", "targetGroupBinding", "config"] as const;

/**
 * The values an app service's chart receives on top of its values files:
 * image, service account, TargetGroupBinding (for a service with a port;
 * the AWS Load Balancer Controller registers the pod IPs in the ALB's target
 * group), node placement, and under `config` the endpoints the app connects
 * to (TLS to the database and the cache, IAM auth for the cache).
 */
export function computedServiceValues(i: ServiceValuesInputs): HelmValues {
  return {
    fullnameOverride: i.releaseName,
    image: { repository: i.image.repository, tag: i.image.tag },
    serviceAccount: { create: true, name: i.serviceAccount },
    ...(i.http ? { containerPort: i.http.port, healthCheckPath: i.http.healthCheckPath } : {}),
    targetGroupBinding: i.targetGroupArn !== undefined ? { enabled: true, targetGroupARN: i.targetGroupArn, targetType: "ip" } : { enabled: false },
    affinity: i.placement.affinity,
    tolerations: i.placement.tolerations,
    config: {
      awsRegion: i.region,
      ...(i.database
        ? {
            database: {
              writerHost: i.database.writerHost,
              readerHosts: i.database.readerHosts.length > 0 ? [...i.database.readerHosts] : [i.database.writerHost],
              port: i.database.port,
              name: i.database.databaseName,
              user: i.database.user,
              iamAuth: true,
              sslMode: "verify-full",
            },
          }
        : {}),
      cache: {
        primaryHost: i.cache.primaryHost,
        readerHost: i.cache.readerHost,
        port: i.cache.port,
        tls: true,
        iamAuth: true,
        user: i.cache.user,
        replicationGroupId: i.cache.replicationGroupId,
      },
      ...(i.uploadsBucket !== undefined ? { uploads: { bucket: i.uploadsBucket } } : {}),
      site: { url: `https://${i.site.domain}`, cdnDomain: i.site.cdnDomain },
    },
  };
}
