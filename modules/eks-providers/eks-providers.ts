import { Construct } from "constructs";
import { Fn } from "cdktf";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";

export interface EksProvidersProps {
  /** The EKS cluster (a plain name or a reference to the cluster stack's output). */
  readonly clusterName: string;
  /** API server URL. */
  readonly clusterEndpoint: string;
  /** Base64-encoded certificate authority of the API server, as EKS returns it. */
  readonly clusterCertificateAuthorityData: string;
  /** The cluster's region (where `aws eks get-token` asks for a token). */
  readonly region: string;
}

/** The exec credential plugin both providers run: a short-lived token from the caller's AWS credentials. */
export function eksExecAuth(clusterName: string, region: string): { apiVersion: string; command: string; args: string[] } {
  return { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token", "--cluster-name", clusterName, "--region", region, "--output", "json"] };
}

/**
 * The Kubernetes and Helm providers of one EKS cluster, configured from the
 * cluster layer's outputs. They authenticate with `aws eks get-token` at plan
 * and apply time (the caller's AWS identity, which needs an access entry on
 * the cluster), so no token or kubeconfig is written into the synthesized JSON.
 */
export class EksProviders extends Construct {
  readonly kubernetes: KubernetesProvider;
  readonly helm: HelmProvider;

  constructor(scope: Construct, id: string, props: EksProvidersProps) {
    super(scope, id);
    const exec = eksExecAuth(props.clusterName, props.region);
    const caCertificate = Fn.base64decode(props.clusterCertificateAuthorityData);
    this.kubernetes = new KubernetesProvider(this, "kubernetes", { host: props.clusterEndpoint, clusterCaCertificate: caCertificate, exec: [exec] });
    this.helm = new HelmProvider(this, "helm", { kubernetes: { host: props.clusterEndpoint, clusterCaCertificate: caCertificate, exec } });
  }
}
