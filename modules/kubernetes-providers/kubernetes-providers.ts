import { Construct } from "constructs";
import { Fn, Token } from "cdktf";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";

export interface KubernetesProvidersProps {
  /** The EKS cluster's name (literal or a reference to the cluster layer's output). */
  readonly clusterName: string;
  /** The cluster's API server endpoint (`https://...`). */
  readonly endpoint: string;
  /** The cluster's certificate authority data, base64-encoded as EKS returns it. */
  readonly certificateAuthorityData: string;
  /** The cluster's region, passed to `aws eks get-token`. */
  readonly region: string;
}

/** The client credential plugin API version `aws eks get-token` speaks. */
export const EXEC_API_VERSION = "client.authentication.k8s.io/v1beta1";

/**
 * The default Kubernetes and Helm providers of a stack, talking to an EKS
 * cluster created by an earlier stack. They authenticate with a short-lived
 * token from `aws eks get-token` on every run (exec plugin), so no token or
 * kubeconfig is stored in state or code; the caller's AWS identity must have
 * an access entry on the cluster.
 */
export class KubernetesProviders extends Construct {
  readonly kubernetes: KubernetesProvider;
  readonly helm: HelmProvider;

  constructor(scope: Construct, id: string, props: KubernetesProvidersProps) {
    super(scope, id);
    if (!Token.isUnresolved(props.endpoint) && !props.endpoint.startsWith("https://")) {
      throw new Error(`KubernetesProviders ${id}: endpoint must be the cluster's https:// API endpoint, got "${props.endpoint}"`);
    }
    if (!Token.isUnresolved(props.clusterName) && props.clusterName.trim() === "") throw new Error(`KubernetesProviders ${id}: clusterName must not be empty`);
    const caCertificate = Fn.base64decode(props.certificateAuthorityData);
    const exec = {
      apiVersion: EXEC_API_VERSION,
      command: "aws",
      args: ["eks", "get-token", "--cluster-name", props.clusterName, "--region", props.region],
    };
    this.kubernetes = new KubernetesProvider(this, "kubernetes", { host: props.endpoint, clusterCaCertificate: caCertificate, exec: [exec] });
    this.helm = new HelmProvider(this, "helm", { kubernetes: { host: props.endpoint, clusterCaCertificate: caCertificate, exec } });
  }
}
