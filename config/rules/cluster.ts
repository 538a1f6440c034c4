import { Address4 } from "ip-address";
import { parseCidr } from "../../modules/network/subnet-plan";
import { cpuArchitecture, instanceSize } from "../../modules/node-group/instance-types";
import { problem, type ConfigRule } from "./types";

/** EKS and its node groups. */

/**
 * Kubernetes minor versions this code is tested with and EKS offers in standard
 * support. Add the next one here once EKS releases it (and check the add-ons and
 * the cluster-autoscaler image for it); drop one once EKS ends its standard support.
 */
export const SUPPORTED_KUBERNETES_VERSIONS = ["1.34", "1.35", "1.36"] as const;
const OLDEST = SUPPORTED_KUBERNETES_VERSIONS[0];
const NEWEST = SUPPORTED_KUBERNETES_VERSIONS[SUPPORTED_KUBERNETES_VERSIONS.length - 1];

const minor = (v: string) => Number(v.split(".")[1]);

export const kubernetesVersionSupported: ConfigRule = (env) => {
  const v = env.cluster.kubernetesVersion;
  if ((SUPPORTED_KUBERNETES_VERSIONS as readonly string[]).includes(v)) return [];
  const rule =
    minor(v) < minor(OLDEST)
      ? `is older than ${OLDEST}, the oldest version supported here; upgrade one minor version at a time to one of ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")}`
      : `is not a version EKS supports yet (newest supported here: ${NEWEST}); use one of ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")}, or add it to SUPPORTED_KUBERNETES_VERSIONS in config/rules/cluster.ts once EKS offers it`;
  return [problem("cluster.kubernetesVersion", v, rule)];
};

export const nodeGroupSizes: ConfigRule = (env) =>
  env.cluster.nodeGroups.flatMap((g, i) => {
    const at = `cluster.nodeGroups[${i}]`;
    const out = [];
    if (g.minSize > g.maxSize) out.push(problem(`${at}.minSize`, g.minSize, `must be at most maxSize (${g.maxSize})`));
    if (g.desiredSize < g.minSize) out.push(problem(`${at}.desiredSize`, g.desiredSize, `must be at least minSize (${g.minSize})`));
    if (g.desiredSize > g.maxSize) out.push(problem(`${at}.desiredSize`, g.desiredSize, `must be at most maxSize (${g.maxSize})`));
    return out;
  });

export const nodeGroupNamesUnique: ConfigRule = (env) =>
  env.cluster.nodeGroups.flatMap((g, i) =>
    env.cluster.nodeGroups.findIndex((o) => o.name === g.name) !== i ? [problem(`cluster.nodeGroups[${i}].name`, g.name, "is used by another node group")] : [],
  );

/** Node groups are named `<cluster>-<group>`; EKS allows 63 characters. */
export const nodeGroupAvailabilityZones: ConfigRule = (env) =>
  env.cluster.nodeGroups.flatMap((g, i) => {
    if (g.availabilityZones === undefined) return [];
    if (g.availabilityZones.length === 0) return [problem(`cluster.nodeGroups[${i}].availabilityZones`, [], `must name at least one of the environment's AZs (${env.availabilityZones.join(", ")}): a node class with no AZ has no nodes`)];
    return g.availabilityZones.flatMap((az, j) =>
      env.availabilityZones.includes(az) ? [] : [problem(`cluster.nodeGroups[${i}].availabilityZones[${j}]`, az, `must be one of the environment's availabilityZones (${env.availabilityZones.join(", ")}): the cluster has subnets there only`)],
    );
  });

export const nodeGroupNameLength: ConfigRule = (env) =>
  env.cluster.nodeGroups.flatMap((g, i) => {
    // Zonal classes name each group after its AZ: the longest one counts.
    const longestAz = [...(g.availabilityZones ?? env.availabilityZones)].sort((a, b) => b.length - a.length)[0] ?? "";
    const full = g.zonal ? `${env.names.cluster}-${g.name}-${longestAz}` : `${env.names.cluster}-${g.name}`;
    return full.length > 63 ? [problem(`cluster.nodeGroups[${i}].name`, g.name, `gives the node group name ${full} (${full.length} characters); EKS allows 63`)] : [];
  });

export const spotInstanceTypes: ConfigRule = (env) =>
  env.cluster.nodeGroups.flatMap((g, i) => {
    if (g.capacityType !== "SPOT") return [];
    const at = `cluster.nodeGroups[${i}].instanceTypes`;
    const sizes = [...new Set(g.instanceTypes.map(instanceSize))];
    const out = [];
    if (g.instanceTypes.length < 2) {
      out.push(problem(at, g.instanceTypes, "a SPOT group needs at least 2 instance types, so that an interrupted Spot pool can be replaced from another"));
    }
    if (sizes.length > 1) {
      out.push(problem(at, g.instanceTypes, `a SPOT group's instance types must all be the same size (found ${sizes.join(", ")}), so the autoscaler's node template fits every one of them`));
    }
    return out;
  });

export const instanceArchitecture: ConfigRule = (env) =>
  env.cluster.nodeGroups.flatMap((g, i) => {
    const arches = [...new Set(g.instanceTypes.map(cpuArchitecture))];
    return arches.length > 1
      ? [problem(`cluster.nodeGroups[${i}].instanceTypes`, g.instanceTypes, "mixes Graviton (arm64) and x86_64 instance types; a node group runs one AMI, so use one architecture per group")]
      : [];
  });

export const instanceTypesUnique: ConfigRule = (env) =>
  env.cluster.nodeGroups.flatMap((g, i) =>
    g.instanceTypes.flatMap((t, j) =>
      g.instanceTypes.indexOf(t) !== j ? [problem(`cluster.nodeGroups[${i}].instanceTypes[${j}]`, t, "is listed twice")] : [],
    ),
  );

/**
 * Ranges no client on the internet can come from (RFC 6890 special-purpose registry), each
 * with why listing it on a public endpoint is a mistake. Documentation ranges (RFC 5737)
 * are refused everywhere, not only in production: no packet ever comes from them, so such an
 * entry is a placeholder that locks everyone out while looking configured.
 */
const SPECIAL_RANGES: ReadonlyArray<{ readonly cidr: Address4; readonly why: string }> = [
  ...["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((c) => ({ cidr: new Address4(c), why: "is a private range (RFC 1918), which never reaches the public endpoint; the private endpoint already serves the VPC" })),
  { cidr: new Address4("100.64.0.0/10"), why: "is carrier-grade NAT space (RFC 6598), shared by many customers of an ISP and never seen by the public endpoint" },
  { cidr: new Address4("127.0.0.0/8"), why: "is loopback (RFC 1122): no client comes from it" },
  ...["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"].map((c) => ({
    cidr: new Address4(c),
    why: "is a documentation range (RFC 5737): no client comes from it, so it admits nobody; list your real office, VPN or runner addresses, or none (private endpoint only: CI runs in the VPC, people use CloudShell in the VPC, docs/ci-runners.md)",
  })),
  { cidr: new Address4("0.0.0.0/8"), why: "is 'this network' (RFC 791): no client comes from it" },
  { cidr: new Address4("169.254.0.0/16"), why: "is link-local (RFC 3927): no client comes from it" },
  { cidr: new Address4("192.0.0.0/24"), why: "is reserved for IETF protocol assignments (RFC 6890): no client comes from it" },
  { cidr: new Address4("198.18.0.0/15"), why: "is reserved for benchmarking (RFC 2544): no client comes from it" },
  { cidr: new Address4("224.0.0.0/3"), why: "is multicast or reserved space (RFC 5771, RFC 1112): no client comes from it" },
];

/** GitHub-hosted runners' addresses are not enumerable within EKS's 40 CIDRs: only the whole internet admits them. */
const githubHostedReachable = (env: Parameters<ConfigRule>[0]) => !env.isProduction && env.cicd.runner.type === "github-hosted";

export const publicAccessCidrs: ConfigRule = (env) =>
  env.cluster.publicAccessCidrs.flatMap((cidr, i) => {
    const at = `cluster.publicAccessCidrs[${i}]`;
    let address: Address4;
    try {
      if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr)) throw new Error("is not an IPv4 CIDR such as 198.51.100.0/24");
      address = parseCidr(cidr);
    } catch (e) {
      const message = (e as Error).message;
      return [problem(at, cidr, message.startsWith("is not an IPv4 CIDR") ? "is not an IPv4 CIDR such as 198.51.100.0/24" : message)];
    }
    if (address.subnetMask === 0) {
      // The one way GitHub's own runners reach the API; allowed only outside production (rule ciReachesCluster).
      if (githubHostedReachable(env)) return [];
      return [problem(at, cidr, "opens the Kubernetes API endpoint to the whole internet; list the CIDRs of your offices or VPN, or none to turn the public endpoint off (CI runs in the VPC with cicd.runner.type codebuild)")];
    }
    const special = SPECIAL_RANGES.find((r) => address.isInSubnet(r.cidr));
    return special ? [problem(at, cidr, special.why)] : [];
  });

/** EKS refuses a cluster with neither a private nor a public endpoint. */
export const clusterEndpointExists: ConfigRule = (env) =>
  !env.cluster.endpointPrivateAccess && env.cluster.publicAccessCidrs.length === 0
    ? [problem("cluster.endpointPrivateAccess", false, "with no publicAccessCidrs the cluster would have no API endpoint at all, which EKS refuses; keep the private endpoint on")]
    : [];

/**
 * CI plans and applies the platform and app layers through the Kubernetes API, so the
 * configured runners must reach the endpoint: CodeBuild runners in the VPC need the private
 * endpoint; GitHub-hosted runners need a public endpoint open to 0.0.0.0/0, which production
 * never gets (docs/ci-runners.md).
 */
export const ciReachesCluster: ConfigRule = (env) => {
  const { runner } = env.cicd;
  const c = env.cluster;
  if (runner.type === "codebuild") {
    return c.endpointPrivateAccess
      ? []
      : [problem("cluster.endpointPrivateAccess", false, "CI runs on CodeBuild runners in the VPC (cicd.runner.type codebuild), which reach the cluster through its private endpoint only; set it to true")];
  }
  if (env.isProduction) {
    return [problem("cicd.runner.type", runner.type, "a production environment's CI must run inside the VPC (codebuild): GitHub-hosted runners reach the cluster only through a public endpoint open to 0.0.0.0/0, which production refuses (docs/ci-runners.md)")];
  }
  return c.publicAccessCidrs.includes("0.0.0.0/0")
    ? []
    : [problem("cluster.publicAccessCidrs", c.publicAccessCidrs, "CI runs on GitHub-hosted runners (cicd.runner.type github-hosted), whose addresses are not enumerable within EKS's 40 CIDRs: the platform and app layers can be planned only with [0.0.0.0/0]; better, run CI in the VPC with cicd.runner.type codebuild")];
};

/** CodeBuild runners fetch the job from GitHub and reach AWS's APIs through NAT on 443. */
export const runnerInternetEgress: ConfigRule = (env) =>
  env.cicd.runner.type === "codebuild" && !env.network.internetEgressPorts.includes(443)
    ? [problem("network.internetEgressPorts", env.network.internetEgressPorts, "must include 443: the CodeBuild runners (cicd.runner.type codebuild) reach GitHub and the AWS APIs through NAT on HTTPS")]
    : [];

export const productionOnDemand: ConfigRule = (env) => {
  if (!env.isProduction) return [];
  const onDemand = env.cluster.nodeGroups.filter((g) => g.capacityType === "ON_DEMAND");
  if (onDemand.length === 0) {
    return [problem("cluster.nodeGroups", env.cluster.nodeGroups.map((g) => g.name), "a production environment needs an ON_DEMAND node group for critical work; Spot capacity can be taken back at any time")];
  }
  // A zonal class's sizes are per AZ: the class has minSize nodes in each of its AZs.
  const classMin = (g: (typeof onDemand)[number]) => (g.zonal ? g.minSize * (g.availabilityZones ?? env.availabilityZones).length : g.minSize);
  return env.cluster.nodeGroups.flatMap((g, i) =>
    g.capacityType === "ON_DEMAND" && classMin(g) < 2
      ? [problem(`cluster.nodeGroups[${i}].minSize`, g.minSize, `must give at least 2 nodes${g.zonal ? " over the class's AZs (minSize is per AZ)" : ""} for an ON_DEMAND class of a production environment, so critical work survives the loss of a node`)]
      : [],
  );
};

/** coredns and the platform's controllers tolerate no custom taint: some group must take them. */
export const untaintedGroup: ConfigRule = (env) =>
  env.cluster.nodeGroups.some((g) => g.taints.every((t) => t.effect === "PREFER_NO_SCHEDULE"))
    ? []
    : [problem("cluster.nodeGroups", env.cluster.nodeGroups.map((g) => g.name), "needs a node group without NO_SCHEDULE/NO_EXECUTE taints, where coredns and the platform's controllers can run")];

export const adminRoleArns: ConfigRule = (env) => {
  const ciDeploy = `arn:aws:iam::${env.accountId}:role/${env.names.prefix}-ci-deploy`;
  const ciPlan = `arn:aws:iam::${env.accountId}:role/${env.names.prefix}-ci-plan`;
  return env.cluster.adminRoleArns.flatMap((arn, i) => {
    const at = `cluster.adminRoleArns[${i}]`;
    if (arn === ciDeploy) return [problem(at, arn, "is the CI deploy role, which is given cluster-admin access already; remove it")];
    if (arn === ciPlan) return [problem(at, arn, "is the CI plan role, which gets read-only access and must not administer the cluster; remove it")];
    if (env.cluster.adminRoleArns.indexOf(arn) !== i) return [problem(at, arn, "is listed twice")];
    return [];
  });
};

/**
 * Break-glass: only roles in adminRoleArns and the CI roles have access
 * entries, so a production cluster with no human administrator can be reached
 * by nobody when CI is broken (docs/runbook.md, "Break-glass access").
 */
export const productionHumanAdmin: ConfigRule = (env) => {
  if (!env.isProduction) return [];
  const ci = new Set(["ci-deploy", "ci-plan"].map((r) => `arn:aws:iam::${env.accountId}:role/${env.names.prefix}-${r}`));
  return env.cluster.adminRoleArns.some((arn) => !ci.has(arn))
    ? []
    : [problem("cluster.adminRoleArns", env.cluster.adminRoleArns, "a production environment needs at least one human administrator role (for example an IAM Identity Center permission set's role) for break-glass access to the cluster; see docs/runbook.md")];
};

export const backupRetention: ConfigRule = (env) => {
  const b = env.cluster.volumeBackups;
  return b.weeklyRetentionDays < b.dailyRetentionDays
    ? [problem("cluster.volumeBackups.weeklyRetentionDays", b.weeklyRetentionDays, `must be at least dailyRetentionDays (${b.dailyRetentionDays}): weekly backups are the long-term ones`)]
    : [];
};

export const vaultLockBounds: ConfigRule = (env) => {
  const v = env.cluster.volumeBackups;
  const { minRetentionDays: min, maxRetentionDays: max } = v.vaultLock;
  if (min > max) return [problem("cluster.volumeBackups.vaultLock.minRetentionDays", min, `must not exceed maxRetentionDays (${max})`)];
  return (["dailyRetentionDays", "weeklyRetentionDays"] as const).flatMap((field) =>
    v[field] < min || v[field] > max
      ? [problem(`cluster.volumeBackups.${field}`, v[field], `must lie within the vault lock's ${min}-${max} days (cluster.volumeBackups.vaultLock): AWS Backup refuses a job whose retention the lock does not allow`)]
      : [],
  );
};

export const clusterRules: readonly ConfigRule[] = [
  kubernetesVersionSupported,
  vaultLockBounds,
  nodeGroupSizes,
  nodeGroupNamesUnique,
  nodeGroupAvailabilityZones,
  nodeGroupNameLength,
  spotInstanceTypes,
  instanceArchitecture,
  instanceTypesUnique,
  publicAccessCidrs,
  clusterEndpointExists,
  ciReachesCluster,
  runnerInternetEgress,
  productionOnDemand,
  untaintedGroup,
  adminRoleArns,
  productionHumanAdmin,
  backupRetention,
];
