import { Testing } from "cdktf";
import { parse } from "yaml";
import { MetricsServer } from "../../modules/helm-addon/metrics-server/metrics-server";

describe("MetricsServer", () => {
  const json = JSON.parse(
    Testing.synthScope((scope) => {
      new MetricsServer(scope, "metrics", {
        version: "3.13.1",
        fileValues: { replicas: 2, podDisruptionBudget: { enabled: true, maxUnavailable: 1 } },
        nodeSelector: { "upskill.io/node-class": "core" },
      });
    }),
  );
  const release = Object.values<any>(json.resource.helm_release)[0];

  test("installs the pinned chart from the metrics-server repository", () => {
    expect(release).toMatchObject({
      name: "metrics-server",
      repository: "https://kubernetes-sigs.github.io/metrics-server/",
      chart: "metrics-server",
      version: "3.13.1",
      namespace: "kube-system",
    });
  });

  test("values: two replicas, a disruption budget, core nodes", () => {
    expect(parse(release.values[0])).toEqual({
      replicas: 2,
      podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
      nodeSelector: { "upskill.io/node-class": "core" },
    });
  });

  test("needs no AWS access", () => {
    expect(json.resource.aws_iam_role).toBeUndefined();
    expect(json.resource.aws_eks_pod_identity_association).toBeUndefined();
  });
});
