import { Testing } from "cdktf";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { KubernetesProviders, type KubernetesProvidersProps } from "../../modules/kubernetes-providers/kubernetes-providers";

const BASE: KubernetesProvidersProps = {
  clusterName: "upskill-dev",
  endpoint: "https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com",
  certificateAuthorityData: "LS0tLS1CRUdJTg==",
  region: "eu-west-1",
};

const EXEC = {
  api_version: "client.authentication.k8s.io/v1beta1",
  command: "aws",
  args: ["eks", "get-token", "--cluster-name", "upskill-dev", "--region", "eu-west-1"],
};

function synth(props: Partial<KubernetesProvidersProps> = {}) {
  return JSON.parse(
    Testing.synthScope((scope) => {
      new KubernetesProviders(scope, "k8s", { ...BASE, ...props });
    }),
  );
}

describe("KubernetesProviders", () => {
  test("the Kubernetes provider talks to the endpoint with the decoded CA and an exec token", () => {
    const [kubernetes] = synth().provider.kubernetes;
    expect(kubernetes).toEqual({
      host: "https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com",
      cluster_ca_certificate: '${base64decode("LS0tLS1CRUdJTg==")}',
      exec: [EXEC],
    });
  });

  test("the Helm provider (3.x) takes the same connection as a kubernetes attribute", () => {
    const [helm] = synth().provider.helm;
    expect(helm).toEqual({
      kubernetes: { host: "https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com", cluster_ca_certificate: '${base64decode("LS0tLS1CRUdJTg==")}', exec: EXEC },
    });
  });

  test("no token, password or kubeconfig is written", () => {
    const text = JSON.stringify(synth().provider);
    for (const key of ["token", "password", "config_path", "client_key"]) expect(text).not.toContain(`"${key}"`);
  });

  test("reads another resource's attributes (as from the cluster layer)", () => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        const eks = new EksCluster(scope, "eks", { name: "x", roleArn: "arn:aws:iam::111111111111:role/x", vpcConfig: { subnetIds: ["subnet-1"] } });
        new KubernetesProviders(scope, "k8s", { clusterName: eks.name, endpoint: eks.endpoint, certificateAuthorityData: eks.certificateAuthority.get(0).data, region: "eu-west-1" });
      }),
    );
    const [kubernetes] = json.provider.kubernetes;
    expect(kubernetes.host).toBe("${aws_eks_cluster.eks.endpoint}");
    expect(kubernetes.cluster_ca_certificate).toBe("${base64decode(aws_eks_cluster.eks.certificate_authority[0].data)}");
    expect(kubernetes.exec[0].args).toContain("${aws_eks_cluster.eks.name}");
  });

  test("refuses an endpoint that is not https", () => {
    expect(() => synth({ endpoint: "http://x" })).toThrow(`KubernetesProviders k8s: endpoint must be the cluster's https:// API endpoint, got "http://x"`);
  });
});
