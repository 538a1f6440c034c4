import { allowedNodeClasses, NODE_CLASS_LABEL } from "../../modules/app-service/placement";
import { problem, type ConfigRule } from "./types";

/** The app's services: names, node classes, ports. */

/** Helm's limit on release names. */
const MAX_RELEASE_NAME = 53;
/** IAM's limit on role names. */
const MAX_ROLE_NAME = 64;

export const appServiceNamesUnique: ConfigRule = (env) =>
  env.app.services.flatMap((s, i) =>
    env.app.services.findIndex((o) => o.name === s.name) !== i ? [problem(`app.services[${i}].name`, s.name, "is used by another service")] : [],
  );

/**
 * Spot pods select the node groups labelled spot and tolerate their taint: a
 * SPOT group so labelled must exist. (Core pods select the core group, which
 * the platform rules already require: ON_DEMAND, untainted, labelled core.)
 */
export const spotClassHasSpotGroup: ConfigRule = (env) =>
  env.app.services.flatMap((s, i) =>
    s.nodeClass === "spot" && !env.cluster.nodeGroups.some((g) => g.capacityType === "SPOT" && g.labels[NODE_CLASS_LABEL] === "spot")
      ? [problem(`app.services[${i}].nodeClass`, s.nodeClass, `needs a SPOT node group labelled ${NODE_CLASS_LABEL}: spot in cluster.nodeGroups`)]
      : [],
  );

/** In production, what the load balancer serves runs on on-demand nodes only. */
export const productionServedOnCore: ConfigRule = (env) =>
  env.isProduction
    ? env.app.services.flatMap((s, i) =>
        s.port !== undefined && allowedNodeClasses(s.nodeClass).includes("spot")
          ? [problem(`app.services[${i}].nodeClass`, s.nodeClass, "must be core in a production environment for a service the load balancer reaches (it has a port)")]
          : [],
      )
    : [];

/** The nodes' security group admits the load balancer on network.appPorts only. */
export const servicePortOpen: ConfigRule = (env) =>
  env.app.services.flatMap((s, i) =>
    s.port !== undefined && !env.network.appPorts.includes(s.port)
      ? [problem(`app.services[${i}].port`, s.port, `must be one of network.appPorts (${env.network.appPorts.join(", ")}): the nodes admit the load balancer on those ports only`)]
      : [],
  );

export const routesNeedPort: ConfigRule = (env) =>
  env.app.services.flatMap((s, i) =>
    s.routes !== undefined && s.port === undefined
      ? [problem(`app.services[${i}].routes`, s.routes, "needs a port: the load balancer routes to the service's container port")]
      : [],
  );

/** The release (and service account) is `upskill-<name>`, the workload role `<prefix>-app-<name>`. */
export const appServiceNameLengths: ConfigRule = (env) =>
  env.app.services.flatMap((s, i) => {
    const at = `app.services[${i}].name`;
    const release = `upskill-${s.name}`;
    const role = `${env.names.prefix}-app-${s.name}`;
    const out = [];
    if (release.length > MAX_RELEASE_NAME) out.push(problem(at, s.name, `gives the Helm release name ${release} (${release.length} characters); Helm allows ${MAX_RELEASE_NAME}`));
    if (role.length > MAX_ROLE_NAME) out.push(problem(at, s.name, `gives the workload role name ${role} (${role.length} characters); IAM allows ${MAX_ROLE_NAME}`));
    return out;
  });

/** What no extra policy of an app service may grant, by the AWS-managed policy's name. */
const TOO_WIDE: ReadonlyArray<[RegExp, string]> = [
  [/^(AdministratorAccess|PowerUserAccess)$/, "grants administration"],
  [/^IAM|^AWSIAM/, "grants IAM (roles, policies, keys): the environment's permissions boundary denies it"],
  [/^(ReadOnlyAccess|ViewOnlyAccess|SecurityAudit)$/, "reads the whole account, Terraform state included"],
  [/^AmazonS3|^AmazonDynamoDB|^AWSKeyManagementService|^SecretsManager/, "reaches Terraform state or other services' data (S3, DynamoDB, KMS, Secrets Manager): use the service's own fields (uploadsAccess, database)"],
  [/FullAccess$/, "grants a whole service to the role (FullAccess)"],
];

/**
 * A service's extra policies stay within what its role may hold: AWS-managed
 * policies only (the app's own permissions come from its typed fields), none
 * granting IAM, state or whole-service data access.
 */
export const servicePoliciesWithinBoundary: ConfigRule = (env) =>
  env.app.services.flatMap((s, i) =>
    s.managedPolicyArns.flatMap((arn, j) => {
      const at = `app.services[${i}].managedPolicyArns[${j}]`;
      const m = /^arn:aws:iam::aws:policy\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/.exec(arn);
      if (!m) return [problem(at, arn, "must be an AWS-managed policy ARN (arn:aws:iam::aws:policy/<name>); the service's own permissions come from uploadsAccess and database")];
      const wide = TOO_WIDE.find(([re]) => re.test(m[1]!));
      return wide ? [problem(at, arn, `is refused: it ${wide[1]}`)] : [];
    }),
  );

export const appRules: readonly ConfigRule[] = [
  servicePoliciesWithinBoundary,
  appServiceNamesUnique,
  spotClassHasSpotGroup,
  productionServedOnCore,
  servicePortOpen,
  routesNeedPort,
  appServiceNameLengths,
];
