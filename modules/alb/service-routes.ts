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
}

/** One service's target group and listener rule, resolved to FQDNs. */
export interface ServiceRoute {
  readonly service: string;
  readonly port: number;
  readonly healthCheckPath: string;
  /** Host headers (FQDNs); includes the API origin name where the API name is. */
  readonly hosts: readonly string[];
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
  const defaults: Record<string, readonly string[]> = { api: [apiHost], web: [options.domain, hostName("www", options.domain)] };
  return services.flatMap((s, i): ServiceRoute[] => {
    if (s.port === undefined) return [];
    const hosts = s.routes ? s.routes.hosts.map((h) => hostName(h, options.domain)) : [...(defaults[s.name] ?? [])];
    if (hosts.includes(apiHost) && !hosts.includes(originHost)) hosts.push(originHost);
    return [{ service: s.name, port: s.port, healthCheckPath: s.healthCheckPath, hosts, paths: [...(s.routes?.paths ?? [])], priority: (i + 1) * 10 }];
  });
}
