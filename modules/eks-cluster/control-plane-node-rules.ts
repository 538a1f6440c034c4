import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";

export interface ControlPlaneNodeRulesProps {
  /** The security group EKS creates for the control plane's network interfaces (`cluster_security_group_id`). */
  readonly clusterSecurityGroupId: string;
  /** The nodes' own security group (network layer), the only one on the nodes. */
  readonly nodeSecurityGroupId: string;
  /**
   * Ports the control plane reaches on the nodes and pods: the kubelet (10250), admission
   * webhooks and aggregated APIs (443; the load balancer controller's webhook on 9443).
   * Default: 443, 9443, 10250.
   */
  readonly nodePorts?: readonly number[];
  readonly provider?: TerraformProvider;
}

/**
 * What the EKS cluster security group gave the nodes, without its allow-all:
 * the nodes no longer carry that group (its egress allows everything, which
 * voided the node group's restriction to the README's ports). The nodes reach
 * the API server on 443 in the cluster group; the control plane reaches the
 * kubelets and webhooks on the given ports in the node group.
 */
export class ControlPlaneNodeRules extends Construct {
  /** The rules: node groups wait for them (nodes without them cannot join the cluster). */
  readonly dependables: Array<VpcSecurityGroupIngressRule | VpcSecurityGroupEgressRule> = [];

  constructor(scope: Construct, id: string, props: ControlPlaneNodeRulesProps) {
    super(scope, id);
    const { provider } = props;
    const add = <T extends VpcSecurityGroupIngressRule | VpcSecurityGroupEgressRule>(r: T): T => (this.dependables.push(r), r);
    add(new VpcSecurityGroupIngressRule(this, "api-from-nodes", {
      securityGroupId: props.clusterSecurityGroupId,
      referencedSecurityGroupId: props.nodeSecurityGroupId,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      description: "Kubernetes API from the nodes and pods",
      tags: { Name: "cluster-ingress-443-from-nodes" },
      provider,
    }));
    add(new VpcSecurityGroupEgressRule(this, "nodes-to-api", {
      securityGroupId: props.nodeSecurityGroupId,
      referencedSecurityGroupId: props.clusterSecurityGroupId,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      description: "Kubernetes API (the control plane's network interfaces)",
      tags: { Name: "nodes-egress-443-to-control-plane" },
      provider,
    }));
    for (const port of props.nodePorts ?? [443, 9443, 10250]) {
      add(new VpcSecurityGroupIngressRule(this, `nodes-from-control-plane-${port}`, {
        securityGroupId: props.nodeSecurityGroupId,
        referencedSecurityGroupId: props.clusterSecurityGroupId,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        description: `Control plane to the nodes and pods on ${port}`,
        tags: { Name: `nodes-ingress-${port}-from-control-plane` },
        provider,
      }));
    }
  }
}
