import { Testing } from "cdktf";
import { ControlPlaneNodeRules } from "../../modules/eks-cluster/control-plane-node-rules";
import { parseSynth, resourcesOf } from "../support/fixtures";

describe("ControlPlaneNodeRules", () => {
  const json = parseSynth(Testing.synthScope((s) => void new ControlPlaneNodeRules(s, "r", { clusterSecurityGroupId: "sg-cluster", nodeSecurityGroupId: "sg-nodes" })));
  const ingress = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule"));
  const egress = Object.values(resourcesOf(json, "aws_vpc_security_group_egress_rule"));

  test("the nodes reach the API server on 443 and nothing else of the control plane", () => {
    expect(egress).toEqual([expect.objectContaining({ security_group_id: "sg-nodes", referenced_security_group_id: "sg-cluster", ip_protocol: "tcp", from_port: 443, to_port: 443 })]);
    expect(ingress.filter((r) => r.security_group_id === "sg-cluster")).toEqual([expect.objectContaining({ referenced_security_group_id: "sg-nodes", from_port: 443, to_port: 443 })]);
  });

  test("the control plane reaches the kubelet and webhooks only, from its own group", () => {
    const toNodes = ingress.filter((r) => r.security_group_id === "sg-nodes");
    expect(toNodes.map((r) => r.from_port).sort()).toEqual([10250, 443, 9443]);
    for (const r of [...ingress, ...egress]) {
      expect(r.ip_protocol).toBe("tcp");
      expect(r).not.toHaveProperty("cidr_ipv4");
    }
  });
});
