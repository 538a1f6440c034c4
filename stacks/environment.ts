import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../config/schema";
import { BootstrapStack } from "./bootstrap-stack";
import { DataStack } from "./data-stack";
import { NetworkStack } from "./network-stack";
import { ClusterStack } from "./cluster-stack";
import { EdgeStack } from "./edge-stack";
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

  const edge = new EdgeStack(scope, { environment, network, data });

  new ObservabilityStack(scope, { environment, network, data, cluster, edge });
}
