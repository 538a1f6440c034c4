import { hostName, MAX_VALUES_PER_CONDITION, MAX_VALUES_PER_RULE, ORIGIN_SECRET_VALUES, ruleValueCount, serviceRoutes, siteHosts } from "../../modules/alb/service-routes";
import type { EnvironmentConfig } from "../schema";
import { ZONE_CHOICES } from "../schema/edge";
import { problem, type ConfigRule } from "./types";

/** DNS names, load balancer routes and derived names of the edge layer. */

/** ACM's default quota of names per certificate. */
const ACM_NAMES_PER_CERTIFICATE = 10;
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

const originLabel = (env: EnvironmentConfig) => env.edge.apiOriginSubdomain ?? `${env.edge.apiSubdomain}-origin`;

const routesOf = (env: EnvironmentConfig) =>
  serviceRoutes(env.app.services, {
    domain: env.domain.name,
    apiSubdomain: env.edge.apiSubdomain,
    apiOriginSubdomain: originLabel(env),
    siteOriginSubdomain: env.edge.siteOriginSubdomain,
  });

export const apiNamesDistinct: ConfigRule = (env) => {
  const out = [];
  if (env.edge.apiSubdomain === "www") out.push(problem("edge.apiSubdomain", "www", "must not be www, the site's name on CloudFront"));
  const origin = originLabel(env);
  if (!LABEL.test(origin)) {
    out.push(problem(env.edge.apiOriginSubdomain ? "edge.apiOriginSubdomain" : "edge.apiSubdomain", env.edge.apiOriginSubdomain ?? env.edge.apiSubdomain, `gives the API origin label ${origin}, longer than a DNS label's 63 characters; set edge.apiOriginSubdomain`));
  } else if (origin === env.edge.apiSubdomain || origin === "www") {
    out.push(problem("edge.apiOriginSubdomain", origin, "must differ from edge.apiSubdomain and www: the health check needs a name that always points at the load balancer"));
  }
  return out;
};

export const routeHostsValid: ConfigRule = (env) =>
  env.app.services.flatMap((s, i) =>
    (s.routes?.hosts ?? []).flatMap((h, j) =>
      h === "@" || h.split(".").every((l) => LABEL.test(l))
        ? []
        : [problem(`app.services[${i}].routes.hosts[${j}]`, h, `must be a subdomain of ${env.domain.name} such as api or admin.app, or @ for the apex`)],
    ),
  );

export const routesFitListenerRule: ConfigRule = (env) => {
  const index = new Map(env.app.services.map((s, i) => [s.name, i]));
  return routesOf(env).flatMap((r) => {
    const at = `app.services[${index.get(r.service)}].routes`;
    const value = { hosts: r.hosts, paths: r.paths };
    if (r.hosts.length > MAX_VALUES_PER_CONDITION || r.paths.length > MAX_VALUES_PER_CONDITION) {
      return [problem(at, value, `a load balancer rule matches at most ${MAX_VALUES_PER_CONDITION} hosts and ${MAX_VALUES_PER_CONDITION} paths (the API origin name counts with the API name)`)];
    }
    if (ruleValueCount(r) > MAX_VALUES_PER_RULE) {
      return [
        problem(
          at,
          value,
          r.viaCloudFront
            ? `a load balancer rule matches at most ${MAX_VALUES_PER_RULE} values: the site's rule holds the origin name and the ${ORIGIN_SECRET_VALUES} origin secret values, so at most ${MAX_VALUES_PER_RULE - 1 - ORIGIN_SECRET_VALUES} paths`
            : `a load balancer rule matches at most ${MAX_VALUES_PER_RULE} hosts and paths together (the API origin name counts with the API name)`,
        ),
      ];
    }
    return [];
  });
};

export const apiRoutedOnce: ConfigRule = (env) => {
  const apiHost = hostName(env.edge.apiSubdomain, env.domain.name);
  const serving = routesOf(env).filter((r) => r.hosts.includes(apiHost)).map((r) => r.service);
  if (serving.length === 1) return [];
  return [
    problem(
      "edge.apiSubdomain",
      env.edge.apiSubdomain,
      serving.length === 0
        ? `${apiHost} is routed to no app service with a port: route it (app.services[].routes.hosts) or give the api service a port`
        : `${apiHost} is routed to several services (${serving.join(", ")}); route it to one`,
    ),
  ];
};

export const regionalCertificateNames: ConfigRule = (env) => {
  // The ALB's certificate: the API and its origin name, and every route's hosts (the site's origin name for the apex and www).
  const names = new Set([hostName(env.edge.apiSubdomain, env.domain.name), hostName(originLabel(env), env.domain.name), ...routesOf(env).flatMap((r) => r.hosts)]);
  return names.size > ACM_NAMES_PER_CERTIFICATE
    ? [problem("app.services", [...names], `route at most ${ACM_NAMES_PER_CERTIFICATE} host names to the load balancer: its certificate holds ${ACM_NAMES_PER_CERTIFICATE} names (ACM's default quota)`)]
    : [];
};

export const loadBalancerNames: ConfigRule = (env) => {
  const prefix = env.names.prefix;
  const tooLong = (name: string) => name.length > 32;
  const out = [];
  if (tooLong(`${prefix}-alb`)) out.push(problem("project", env.project, `gives the load balancer name ${prefix}-alb, longer than the 32 characters ELB allows`));
  routesOf(env).forEach((r) => {
    const name = `${prefix}-${r.service}`;
    if (tooLong(name)) out.push(problem(`app.services[${env.app.services.findIndex((s) => s.name === r.service)}].name`, r.service, `gives the target group name ${name}, longer than the 32 characters ELB allows`));
  });
  return out;
};

export const edgeBucketNames: ConfigRule = (env) => {
  const longest = `${env.names.prefix}-maintenance-${env.accountId}`;
  return longest.length > 63 ? [problem("project", env.project, `gives the bucket name ${longest}, longer than the 63 characters S3 allows`)] : [];
};

/** Every environment says whether its zone is created or existing (the schema refuses any other value). */
export const zoneDeclared: ConfigRule = (env) => (env.domain.zone === undefined ? [problem("domain.zone", undefined, ZONE_CHOICES)] : []);

/** A parent zone managed here only makes sense for a created zone, and must be its ancestor. */
export const parentZoneOnlyWhenCreated: ConfigRule = (env) =>
  env.domain.parentZone !== undefined && env.domain.zone !== "create"
    ? [problem("domain.parentZone", env.domain.parentZone, 'is only for domain.zone: create (the network layer writes the NS delegation of the zone it creates); remove it for an existing zone')]
    : [];

export const parentZoneIsAncestor: ConfigRule = (env) => {
  const parent = env.domain.parentZone;
  return parent !== undefined && !env.domain.name.endsWith(`.${parent}`)
    ? [problem("domain.parentZone", parent, `must be a zone above ${env.domain.name} (such as ${env.domain.name.split(".").slice(1).join(".")}), where its NS delegation goes`)]
    : [];
};

/** The site's names (apex, www) are CloudFront's: one service serves them through the distribution, and only them. */
export const siteRoutedOnce: ConfigRule = (env) => {
  const site = siteHosts(env.domain.name);
  const serving = routesOf(env).filter((r) => r.viaCloudFront);
  const index = (service: string) => env.app.services.findIndex((s) => s.name === service);
  const out = [];
  if (serving.length > 1) {
    out.push(problem("app.services", serving.map((r) => r.service), `${site.join(" and ")} are served through CloudFront by one service; route them to one`));
  }
  for (const r of serving) {
    const others = r.viewerHosts.filter((h) => !site.includes(h));
    if (others.length > 0) {
      out.push(
        problem(`app.services[${index(r.service)}].routes.hosts`, r.viewerHosts, `routes ${site.join(" and ")} (CloudFront, origin secret required) with other hosts (${others.join(", ")}) reached on the load balancer directly; give those another service`),
      );
    }
  }
  return out;
};

/** The site origin name is the ALB's alone: not the API's names, www, nor a route's host. */
export const siteOriginDistinct: ConfigRule = (env) => {
  const label = env.edge.siteOriginSubdomain;
  const host = hostName(label, env.domain.name);
  const taken = [env.edge.apiSubdomain, originLabel(env), "www"].includes(label) || routesOf(env).some((r) => r.viewerHosts.includes(host));
  return taken ? [problem("edge.siteOriginSubdomain", label, "must differ from the API's names, www and every route's hosts: CloudFront reaches the site on the load balancer by this name alone")] : [];
};

export const edgeRules: readonly ConfigRule[] = [
  zoneDeclared,
  parentZoneOnlyWhenCreated,
  parentZoneIsAncestor,
  siteRoutedOnce,
  siteOriginDistinct,
  apiNamesDistinct,
  routeHostsValid,
  routesFitListenerRule,
  apiRoutedOnce,
  regionalCertificateNames,
  loadBalancerNames,
  edgeBucketNames,
];
