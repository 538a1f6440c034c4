/** ALB limits: 3 values per condition, 5 per rule. */
export const MAX_VALUES_PER_CONDITION = 3;
export const MAX_VALUES_PER_RULE = 5;

/** A service as the load balancer sees it (a structural subset of the app's service settings). */
export interface RoutedServiceInput {
  readonly name: string;
  /** Container port; services without one get no target group. */
  readonly port?: number;
  readonly healthCheckPath: string;
  /** Host prefixes (`api`, `admin.app`, `@` for the apex) and path patterns. Default: see `serviceRoutes`. */
  readonly routes?: { readonly hosts: readonly string[]; readonly paths: readonly string[] };
}

export interface ServiceRoutesOptions {
  /** The environment's domain, e.g. `example.com`. */
  readonly domain: string;
  /** Label of the API name, e.g. `api`. */
  readonly apiSubdomain: string;
  /** Label of the name aliased to the load balancer only (the API health check's target), e.g. `api-origin`. */
  readonly apiOriginSubdomain: string;
  /**
   * Label of the name CloudFront reaches the load balancer by for the site (apex and `www`,
   * which point at the site distribution), e.g. `origin`.
   */
  readonly siteOriginSubdomain: string;
}

/** Listener rule values the origin secret header condition takes: the current and the next secret. */
export const ORIGIN_SECRET_VALUES = 2;

/** One service's target group and listener rule, resolved to FQDNs. */
export interface ServiceRoute {
  readonly service: string;
  readonly port: number;
  readonly healthCheckPath: string;
  /**
   * Host headers the listener rule matches (FQDNs); includes the API origin name where the API
   * name is. A route of the site's names has the site origin name instead of them.
   */
  readonly hosts: readonly string[];
  /** The names as configured (viewer names), e.g. the apex and `www` for the site. */
  readonly viewerHosts: readonly string[];
  /**
   * The route serves the apex or `www`: those names point at the site distribution, which
   * forwards here under the site origin name with the origin secret header (the rule requires it).
   */
  readonly viaCloudFront: boolean;
  readonly paths: readonly string[];
  /** Listener rule priority: 10 x the service's 1-based position in the list. */
  readonly priority: number;
}

/** Expands a host prefix: `@` is the apex, anything else a subdomain of `domain`. */
export function hostName(prefix: string, domain: string): string {
  return prefix === "@" ? domain : `${prefix}.${domain}`;
}

/**
 * The load balancer's routes for the app's services that have a port. Without
 * explicit routes, `api` gets the API name and `web` the apex and `www`; the
 * API origin name (what the Route 53 health check probes) always goes where
 * the API name goes, so the check reaches the API's own target group.
 */
export function serviceRoutes(services: readonly RoutedServiceInput[], options: ServiceRoutesOptions): ServiceRoute[] {
  const apiHost = hostName(options.apiSubdomain, options.domain);
  const originHost = hostName(options.apiOriginSubdomain, options.domain);
  const site = siteHosts(options.domain);
  const siteOrigin = hostName(options.siteOriginSubdomain, options.domain);
  const defaults: Record<string, readonly string[]> = { api: [apiHost], web: site };
  return services.flatMap((s, i): ServiceRoute[] => {
    if (s.port === undefined) return [];
    const viewerHosts = s.routes ? s.routes.hosts.map((h) => hostName(h, options.domain)) : [...(defaults[s.name] ?? [])];
    const viaCloudFront = viewerHosts.some((h) => site.includes(h));
    const hosts = viaCloudFront ? [siteOrigin, ...viewerHosts.filter((h) => !site.includes(h))] : [...viewerHosts];
    if (hosts.includes(apiHost) && !hosts.includes(originHost)) hosts.push(originHost);
    return [{ service: s.name, port: s.port, healthCheckPath: s.healthCheckPath, hosts, viewerHosts, viaCloudFront, paths: [...(s.routes?.paths ?? [])], priority: (i + 1) * 10 }];
  });
}

/** The names the site distribution serves: the apex and `www`. */
export function siteHosts(domain: string): string[] {
  return [domain, hostName("www", domain)];
}

/** Values a route's listener rule matches: its hosts and paths, plus the secret header's values through CloudFront. */
export function ruleValueCount(route: ServiceRoute): number {
  return route.hosts.length + route.paths.length + (route.viaCloudFront ? ORIGIN_SECRET_VALUES : 0);
}
