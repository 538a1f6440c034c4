import { Testing } from "cdktf";
import { PLANNER_GROUP, PlannerClusterAccess } from "../../modules/planner-access/planner-access";
import { parseSynth, resourcesOf } from "../support/fixtures";

describe("PlannerClusterAccess", () => {
  const json = parseSynth(Testing.synthScope((s) => void new PlannerClusterAccess(s, "p", { releaseNamespaces: ["kube-system"] })));
  const roles = Object.values(resourcesOf(json, "kubernetes_cluster_role_v1"));
  const planner = roles.find((r) => r.metadata.name === "upskill:ci-planner")!;

  test("the planners read every kind but Secrets cluster-wide, and never write", () => {
    for (const rule of planner.rule) {
      expect(rule.verbs).toEqual(["get", "list", "watch"]);
      if (rule.api_groups.includes("")) expect(rule.resources).not.toContain("secrets");
      expect(rule.resources.includes("*") && rule.api_groups.includes("")).toBe(false);
      expect(rule.api_groups).not.toContain("*");
    }
    const binding = Object.values(resourcesOf(json, "kubernetes_cluster_role_binding_v1"))[0];
    expect(binding.subject).toEqual([expect.objectContaining({ kind: "Group", name: PLANNER_GROUP })]);
  });

  test("Secrets are readable only in the release namespaces given, through a namespaced binding", () => {
    const bindings = Object.values(resourcesOf(json, "kubernetes_role_binding_v1"));
    expect(bindings.map((b) => b.metadata.namespace)).toEqual(["kube-system"]);
    expect(bindings[0].role_ref.name).toBe("upskill:helm-release-reader");
    expect(Object.values(resourcesOf(json, "kubernetes_cluster_role_binding_v1")).map((b) => b.role_ref.name)).toEqual([expect.stringMatching(/^\$\{kubernetes_cluster_role_v1\.p_planner_[^.]+\.metadata\[0\]\.name\}$/)]);
  });
});
