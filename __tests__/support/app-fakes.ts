import type { AppStackProps } from "../../stacks/app-stack";

/**
 * Stand-ins for the layers the app layer reads (data, cluster, edge), with
 * ARNs in the environment's account and region: until the integrator wires the
 * app layer into stacks/environment.ts, stack and policy tests build it with these.
 */
export function appStackFakes(env: string, region: string, account: string): Omit<AppStackProps, "environment"> {
  const arn = (service: string, resource: string) => `arn:aws:${service}:${region}:${account}:${resource}`;
  return {
    data: {
      databaseKeyArn: arn("kms", "key/database"),
      bucketsKeyArn: arn("kms", "key/buckets"),
      postgres: {
        writerEndpoint: `upskill-${env}-postgres.abc.${region}.rds.amazonaws.com`,
        readerEndpoints: env === "dev" ? [] : [`upskill-${env}-postgres-replica-1.abc.${region}.rds.amazonaws.com`],
        port: 5432,
        masterSecretArn: arn("secretsmanager", `secret:rds!db-${env}`),
        masterUsername: "upskill_admin",
        databaseName: "upskill",
        resourceId: `db-${env.toUpperCase()}PRIMARY`,
        replicaResourceIds: env === "dev" ? [] : [`db-${env.toUpperCase()}REPLICA1`],
      },
      cache: {
        replicationGroupId: `upskill-${env}-cache`,
        replicationGroupArn: arn("elasticache", `replicationgroup:upskill-${env}-cache`),
        primaryEndpoint: `master.upskill-${env}-cache.abc.cache.amazonaws.com`,
        readerEndpoint: `replica.upskill-${env}-cache.abc.cache.amazonaws.com`,
        port: 6379,
        appUserId: `upskill-${env}-cache-app`,
        appUserArn: arn("elasticache", `user:upskill-${env}-cache-app`),
      },
      buckets: {
        uploads: { name: `upskill-${env}-uploads-${account}`, arn: `arn:aws:s3:::upskill-${env}-uploads-${account}` },
        backups: { name: `upskill-${env}-backups-${account}`, arn: `arn:aws:s3:::upskill-${env}-backups-${account}` },
      },
    },
    cluster: { clusterName: `upskill-${env}`, clusterEndpoint: "https://ABC.gr7.eu-west-1.eks.amazonaws.com", clusterCertificateAuthorityData: "Q0E=" },
    edge: {
      targetGroups: { api: { arn: arn("elasticloadbalancing", `targetgroup/upskill-${env}-api/1`) }, web: { arn: arn("elasticloadbalancing", `targetgroup/upskill-${env}-web/2`) } },
      siteDistributionDomainName: "d111111abcdef8.cloudfront.net",
    },
  };
}

