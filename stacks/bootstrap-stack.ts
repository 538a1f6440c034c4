import type { Construct } from "constructs";
import { LayerStack, type LayerStackProps } from "./layer-stack";

export type BootstrapStackProps = LayerStackProps;

/** `<env>-bootstrap`: the state bucket, the lock table and the CI roles. Local state. */
export class BootstrapStack extends LayerStack {
  constructor(scope: Construct, props: BootstrapStackProps) {
    super(scope, "bootstrap", props);
  }
}
