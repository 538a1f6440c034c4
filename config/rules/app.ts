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

export const appRules: readonly ConfigRule[] = [
  appServiceNamesUnique,
  spotClassHasSpotGroup,
  productionServedOnCore,
  servicePortOpen,
  routesNeedPort,
  appServiceNameLengths,
];
