import { problemsAfter } from "../support/config-files";
import { shippedEnvironment, SHIPPED_ENVIRONMENTS } from "../support/fixtures";
import { SUPPORTED_KUBERNETES_VERSIONS } from "../../config/rules/cluster";
import { CLUSTER_AUTOSCALER_IMAGES } from "../../modules/helm-addon/cluster-autoscaler/images";

const CA = "platform.charts.clusterAutoscaler";

describe("config: platform layer", () => {
  test("the shipped files are valid and pin every chart", () => {
    for (const env of SHIPPED_ENVIRONMENTS) {
      expect(problemsAfter(env, [])).toEqual([]);
      const charts = shippedEnvironment(env).platform.charts;
      expect([charts.awsLoadBalancerController.version, charts.clusterAutoscaler.version, charts.metricsServer.version]).toEqual(["3.5.0", "9.59.0", "3.13.1"]);
    }
  });

  describe("chart versions", () => {
    test.each([
      ["platform.charts.metricsServer.version", "latest"],
      ["platform.charts.clusterAutoscaler.version", "^9.59.0"],
      ["platform.charts.awsLoadBalancerController.version", "v3.5.0"],
      ["platform.charts.metricsServer.version", "3.13"],
    ])("%s: %j is not a version", (path, value) => {
      expect(problemsAfter("dev", [[path, value]])).toEqual([`config/dev.yaml: ${path}: ${JSON.stringify(value)} — must be a semantic version such as 1.2.3`]);
    });

    test("a number where a version belongs is refused", () => {
      expect(problemsAfter("dev", [["platform.charts.metricsServer.version", 3.13]])).toEqual([
        expect.stringMatching(/^config\/dev\.yaml: platform\.charts\.metricsServer\.version: 3\.13 — /),
      ]);
    });

    test("a load balancer controller chart without stored CRDs is refused", () => {
      expect(problemsAfter("prod", [["platform.charts.awsLoadBalancerController.version", "3.6.0"]])).toEqual([
        'config/prod.yaml: platform.charts.awsLoadBalancerController.version: "3.6.0" — must be 3.5.0, the chart whose CRDs are stored; for another version replace modules/helm-addon/aws-load-balancer-controller/crds.json with its crds/crds.yaml and update LBC_CRDS_CHART_VERSION',
      ]);
    });
  });

  describe("cluster-autoscaler image", () => {
    test("an image tag whose minor differs from the cluster's is refused", () => {
      expect(problemsAfter("dev", [[`${CA}.imageTag`, "v1.34.5"]])).toEqual([
        'config/dev.yaml: platform.charts.clusterAutoscaler.imageTag: "v1.34.5" — must be a v1.35.x tag: cluster-autoscaler\'s minor version must equal the cluster\'s (cluster.kubernetesVersion 1.35)',
      ]);
    });

    test("a matching image tag pins another patch", () => {
      expect(problemsAfter("staging", [[`${CA}.imageTag`, "v1.35.1"]])).toEqual([]);
    });

    test("an image tag that is not a tag is refused", () => {
      expect(problemsAfter("dev", [[`${CA}.imageTag`, "1.35"]])).toEqual([
        'config/dev.yaml: platform.charts.clusterAutoscaler.imageTag: "1.35" — must be an image tag such as v1.35.0',
      ]);
    });

    test("without a tag, every supported Kubernetes version has a known image of its own minor", () => {
      for (const v of SUPPORTED_KUBERNETES_VERSIONS) {
        expect(CLUSTER_AUTOSCALER_IMAGES[v]).toMatch(new RegExp(`^v${v.replace(".", "\\.")}\\.\\d+$`));
        expect(problemsAfter("dev", [["cluster.kubernetesVersion", v]])).toEqual([]);
      }
    });
  });

  describe("core nodes", () => {
    test("the controllers need an on-demand, untainted group labelled core", () => {
      expect(problemsAfter("dev", [["cluster.nodeGroups[0].labels", { "upskill.io/node-class": "general" }]])).toEqual([
        'config/dev.yaml: cluster.nodeGroups: ["core","spot"] — needs an ON_DEMAND node group labelled upskill.io/node-class: core without NO_SCHEDULE/NO_EXECUTE taints: the load balancer controller, cluster-autoscaler and metrics-server run there',
      ]);
    });

    test("a core group on Spot does not count", () => {
      expect(problemsAfter("dev", [["cluster.nodeGroups[0].capacityType", "SPOT"]])).toContain(
        'config/dev.yaml: cluster.nodeGroups: ["core","spot"] — needs an ON_DEMAND node group labelled upskill.io/node-class: core without NO_SCHEDULE/NO_EXECUTE taints: the load balancer controller, cluster-autoscaler and metrics-server run there',
      );
    });
  });
});
