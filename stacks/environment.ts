import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../config/schema";
import { BootstrapStack } from "./bootstrap-stack";
import { DataStack } from "./data-stack";
import { NetworkStack } from "./network-stack";
import { ClusterStack } from "./cluster-stack";
import { PlatformStack } from "./platform-stack";
import { EdgeStack } from "./edge-stack";
import { AppStack } from "./app-stack";
import { ObservabilityStack } from "./observability-stack";

/**
 * Builds every layer of one environment, in deploy order, handing each the
 * typed outputs of the layers before it. The only place stacks meet.
 */
export function buildEnvironment(scope: Construct, environment: EnvironmentConfig): void {
  new BootstrapStack(scope, { environment });

  const network = new NetworkStack(scope, { environment });
  const data = new DataStack(scope, { environment, network });

  const cluster = new ClusterStack(scope, { environment, network, data });

  const platform = new PlatformStack(scope, { environment, network, cluster });

  const edge = new EdgeStack(scope, { environment, network, data });

  const app = new AppStack(scope, { environment, data, cluster, edge });
  // The app's TargetGroupBindings need the load balancer controller's CRDs;
  // no cross-stack reference says so.
  app.addDependency(platform);

  new ObservabilityStack(scope, { environment, network, data, cluster, edge });
}
