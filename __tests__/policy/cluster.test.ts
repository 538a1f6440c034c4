import { synthesizedApp, type SynthesizedApp, type SynthResource } from "../support/synthesized-app";
import { SHIPPED_ENVIRONMENTS } from "../support/fixtures";

/** Managed add-ons that install into a namespace of their own (the observability layer's Container Insights). */
const ADDON_NAMESPACES: Readonly<Record<string, string>> = { "amazon-cloudwatch-observability": "amazon-cloudwatch" };

/** Whole-app checks of the cluster layer, over `npm run synth`'s output of the shipped environments. */
type Scope = SynthesizedApp;

/** The resource a `${type.name.attr}` reference of the same stack points to. */
function referenced(scope: Scope, from: SynthResource, ref: unknown, type: string): SynthResource | undefined {
  const m = typeof ref === "string" ? new RegExp(`^\\$\\{${type}\\.([^.}]+)\\.[a-z_]+\\}$`).exec(ref) : null;
  return m ? scope.resources.find((r) => r.stack === from.stack && r.type === type && r.name === m[1]) : undefined;
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const block = (v: any) => (Array.isArray(v) ? v[0] : v);

describe("policy: cluster layer", () => {
  const scope = synthesizedApp();
  const nodeGroups = scope.ofType("aws_eks_node_group");

  test("each shipped environment has a cluster and node groups to check", () => {
    for (const env of SHIPPED_ENVIRONMENTS) {
      expect(scope.ofType("aws_eks_cluster").filter((r) => r.stack === `${env}-cluster`)).toHaveLength(1);
      expect(nodeGroups.filter((r) => r.stack === `${env}-cluster`).length).toBeGreaterThanOrEqual(2);
    }
  });

  test("every node group's launch template requires IMDSv2 with hop limit 1 (pods cannot take the node role), carries only the node security group, and encrypts its gp3 volumes with a KMS key", () => {
    const offenders: string[] = [];
    for (const g of nodeGroups) {
      const template = referenced(scope, g, block(g.config.launch_template)?.id, "aws_launch_template");
      if (!template) {
        offenders.push(`${g.address}: no launch template of this stack`);
        continue;
      }
      const md = block(template.config.metadata_options) ?? {};
      if (md.http_tokens !== "required") offenders.push(`${template.address}: http_tokens is ${md.http_tokens}, not required`);
      if (md.http_endpoint === "disabled") offenders.push(`${template.address}: IMDS disabled (nodes need it)`);
      if (md.http_put_response_hop_limit !== 1) {
        offenders.push(`${template.address}: http_put_response_hop_limit is ${md.http_put_response_hop_limit}, not 1 (a pod one hop away would read the node role's credentials)`);
      }
      for (const sg of asArray<string>(template.config.vpc_security_group_ids)) {
        if (/cluster_security_group_id/.test(sg)) offenders.push(`${template.address}: carries the EKS cluster security group, whose egress allows everything`);
      }
      const devices = asArray<any>(template.config.block_device_mappings);
      if (devices.length === 0) offenders.push(`${template.address}: no block device mapping (the AMI's default volume would not use the key)`);
      for (const d of devices) {
        const ebs = block(d.ebs) ?? {};
        if (String(ebs.encrypted) !== "true" || !ebs.kms_key_id || ebs.volume_type !== "gp3") {
          offenders.push(`${template.address}: ${d.device_name} is not an encrypted gp3 volume with a KMS key`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  test("node groups leave the desired size to the autoscaler and carry its discovery tags", () => {
    const offenders = nodeGroups.filter((g) => {
      const tags = g.config.tags ?? {};
      return (
        !(g.config.lifecycle?.ignore_changes ?? []).includes("scaling_config[0].desired_size") ||
        tags["k8s.io/cluster-autoscaler/enabled"] !== "true" ||
        !Object.entries(tags).some(([k, v]) => /^k8s\.io\/cluster-autoscaler\/(?!enabled$|node-template\/).+/.test(k) && v === "owned")
      );
    });
    expect(offenders.map((g) => g.address)).toEqual([]);
  });

  test("no node role carries AmazonEKS_CNI_Policy", () => {
    const offenders: string[] = [];
    for (const g of nodeGroups) {
      const role = referenced(scope, g, g.config.node_role_arn, "aws_iam_role");
      if (!role) {
        offenders.push(`${g.address}: node role is not a role of this stack`);
        continue;
      }
      if (asArray<string>(role.config.managed_policy_arns).some((p) => p.endsWith("/AmazonEKS_CNI_Policy"))) offenders.push(role.address);
      for (const a of scope.ofType("aws_iam_role_policy_attachment")) {
        if (referenced(scope, a, a.config.role, "aws_iam_role") === role && String(a.config.policy_arn).endsWith("/AmazonEKS_CNI_Policy")) offenders.push(a.address);
      }
    }
    expect([...new Set(offenders)]).toEqual([]);
  });

  test("the vpc-cni add-on runs as its own role, which holds the CNI policy", () => {
    const addons = scope.ofType("aws_eks_addon").filter((a) => a.config.addon_name === "vpc-cni");
    expect(addons.length).toBe(SHIPPED_ENVIRONMENTS.length);
    for (const addon of addons) {
      const association = block(addon.config.pod_identity_association);
      expect({ address: addon.address, serviceAccount: association?.service_account }).toEqual({ address: addon.address, serviceAccount: "aws-node" });
      const role = referenced(scope, addon, association.role_arn, "aws_iam_role");
      const attached = scope
        .ofType("aws_iam_role_policy_attachment")
        .filter((a) => referenced(scope, a, a.config.role, "aws_iam_role") === role)
        .map((a) => a.config.policy_arn);
      expect({ address: addon.address, attached }).toEqual({ address: addon.address, attached: ["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"] });
    }
  });

  test("every Pod Identity role trusts only its own namespace and service account, and is associated with exactly those", () => {
    const offenders: string[] = [];
    const podRoles = scope.ofType("aws_iam_role").filter((r) => String(r.config.assume_role_policy).includes("pods.eks.amazonaws.com"));
    expect(podRoles.length).toBeGreaterThanOrEqual(2 * SHIPPED_ENVIRONMENTS.length);
    // Each association: the role it binds and the namespace/service account it binds it to.
    const associations = [
      ...scope.ofType("aws_eks_pod_identity_association").map((a) => ({
        at: a.address,
        role: referenced(scope, a, a.config.role_arn, "aws_iam_role"),
        namespace: a.config.namespace,
        serviceAccount: a.config.service_account,
      })),
      ...scope.ofType("aws_eks_addon").flatMap((a) =>
        asArray<any>(a.config.pod_identity_association).map((p) => ({
          at: a.address,
          role: referenced(scope, a, p.role_arn, "aws_iam_role"),
          // Managed add-ons install into kube-system, but for those that have their own namespace.
          namespace: ADDON_NAMESPACES[a.config.addon_name] ?? "kube-system",
          serviceAccount: p.service_account,
        })),
      ),
    ];
    for (const role of podRoles) {
      const trust = JSON.parse(role.config.assume_role_policy);
      const statements = asArray<any>(trust.Statement).filter((s) => s.Effect === "Allow");
      const bound = new Set<string>();
      for (const s of statements) {
        const principal = s.Principal?.Service;
        const eq = s.Condition?.StringEquals ?? {};
        const ns = eq["aws:RequestTag/kubernetes-namespace"];
        const sa = eq["aws:RequestTag/kubernetes-service-account"];
        const single = (v: unknown) => typeof v === "string" && v.length > 0 && !/[*?]/.test(v);
        if (principal !== "pods.eks.amazonaws.com" || Object.keys(s.Principal).length !== 1) offenders.push(`${role.address}: trusts ${JSON.stringify(s.Principal)}`);
        if (!single(ns) || !single(sa)) offenders.push(`${role.address}: trust is not pinned to one namespace and service account`);
        if (!single(eq["aws:SourceAccount"]) || !eq["aws:RequestTag/eks-cluster-name"]) offenders.push(`${role.address}: trust is not pinned to the account and cluster`);
        if (Object.keys(s.Condition ?? {}).some((op) => op !== "StringEquals")) offenders.push(`${role.address}: trust has conditions beyond StringEquals`);
        bound.add(`${ns}/${sa}`);
      }
      const mine = associations.filter((a) => a.role === role);
      if (mine.length === 0) offenders.push(`${role.address}: no pod identity association in its stack`);
      for (const a of mine) {
        if (!bound.has(`${a.namespace}/${a.serviceAccount}`)) offenders.push(`${a.at}: binds ${a.namespace}/${a.serviceAccount} to ${role.address}, whose trust names ${[...bound].join(", ")}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  test("the Kubernetes and Helm providers never live in a stack that creates an EKS cluster", () => {
    const offenders: string[] = [];
    for (const [id, json] of scope.stacks) {
      if (Object.keys(json.resource?.aws_eks_cluster ?? {}).length === 0) continue;
      for (const p of Object.keys(json.provider ?? {})) if (p !== "aws") offenders.push(`${id}/provider.${p}`);
      for (const type of [...Object.keys(json.resource ?? {}), ...Object.keys(json.data ?? {})]) {
        if (/^(kubernetes|helm)_/.test(type)) offenders.push(`${id}/${type}`);
      }
      for (const p of Object.keys(json.terraform?.required_providers ?? {})) if (p !== "aws") offenders.push(`${id}/required_providers.${p}`);
    }
    expect(offenders).toEqual([]);
  });

  test("every cluster: API authentication, encrypted secrets, all control-plane logs, private endpoint, restricted public one, protected", () => {
    const offenders: string[] = [];
    for (const c of scope.ofType("aws_eks_cluster")) {
      const cfg = c.config;
      const vpc = block(cfg.vpc_config);
      const access = block(cfg.access_config);
      const logs = asArray<string>(cfg.enabled_cluster_log_types);
      if (access?.authentication_mode !== "API" || access?.bootstrap_cluster_creator_admin_permissions !== false) offenders.push(`${c.address}: not API authentication without creator admin`);
      if (!block(cfg.encryption_config)?.provider?.key_arn) offenders.push(`${c.address}: secrets not encrypted with a KMS key`);
      if (["api", "audit", "authenticator", "controllerManager", "scheduler"].some((t) => !logs.includes(t))) offenders.push(`${c.address}: log types ${logs.join(",")}`);
      if (vpc?.endpoint_private_access !== true) offenders.push(`${c.address}: private endpoint off`);
      if (vpc?.endpoint_public_access !== false && !(asArray<string>(vpc?.public_access_cidrs).length > 0 && asArray<string>(vpc?.public_access_cidrs).every((x) => !x.endsWith("/0")))) {
        offenders.push(`${c.address}: public endpoint not restricted to listed CIDRs`);
      }
      if (cfg.lifecycle?.prevent_destroy !== true || cfg.deletion_protection !== true) offenders.push(`${c.address}: not protected from deletion`);
      if (cfg.bootstrap_self_managed_addons !== false) offenders.push(`${c.address}: self-managed add-ons bootstrapped`);
      const logGroup = scope.ofType("aws_cloudwatch_log_group").find((g) => g.stack === c.stack && g.config.name === `/aws/eks/${cfg.name}/cluster`);
      if (!logGroup || !logGroup.config.kms_key_id || !logGroup.config.retention_in_days) offenders.push(`${c.address}: control-plane log group missing, or without key or retention`);
    }
    expect(offenders).toEqual([]);
  });

  test("every backup vault has its own KMS key and prevent_destroy", () => {
    const vaults = scope.ofType("aws_backup_vault");
    expect(vaults.length).toBeGreaterThanOrEqual(SHIPPED_ENVIRONMENTS.length);
    const offenders = vaults.filter((v) => !v.config.kms_key_arn || v.config.lifecycle?.prevent_destroy !== true || v.config.force_destroy === true);
    expect(offenders.map((v) => v.address)).toEqual([]);
  });
});
