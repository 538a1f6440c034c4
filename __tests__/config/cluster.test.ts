import { problemsAfter } from "../support/config-files";

const SPOT = "cluster.nodeGroups[1]";

describe("config: cluster layer", () => {
  test("the shipped files are valid", () => {
    for (const env of ["dev", "staging", "prod"]) expect(problemsAfter(env, [])).toEqual([]);
  });

  describe("Kubernetes version", () => {
    test("an older version than 1.34 is refused", () => {
      expect(problemsAfter("dev", [["cluster.kubernetesVersion", "1.33"]])).toEqual([
        'config/dev.yaml: cluster.kubernetesVersion: "1.33" — is older than 1.34, the oldest version supported here; upgrade one minor version at a time to one of 1.34, 1.35, 1.36',
      ]);
    });

    test("an unknown future version is refused", () => {
      expect(problemsAfter("prod", [["cluster.kubernetesVersion", "1.40"]])).toEqual([
        'config/prod.yaml: cluster.kubernetesVersion: "1.40" — is not a version EKS supports yet (newest supported here: 1.36); use one of 1.34, 1.35, 1.36, or add it to SUPPORTED_KUBERNETES_VERSIONS in config/rules/cluster.ts once EKS offers it',
      ]);
    });

    test("something that is not a minor version is refused by the schema", () => {
      expect(problemsAfter("dev", [["cluster.kubernetesVersion", "latest"]])).toEqual([
        'config/dev.yaml: cluster.kubernetesVersion: "latest" — must be a Kubernetes minor version such as 1.35',
      ]);
    });

    test("every supported version is accepted", () => {
      for (const v of ["1.34", "1.35", "1.36"]) expect(problemsAfter("dev", [["cluster.kubernetesVersion", v]])).toEqual([]);
    });
  });

  describe("node groups", () => {
    test("min > max is refused", () => {
      expect(problemsAfter("dev", [["cluster.nodeGroups[0].minSize", 5]])).toEqual([
        "config/dev.yaml: cluster.nodeGroups[0].minSize: 5 — must be at most maxSize (2)",
        "config/dev.yaml: cluster.nodeGroups[0].desiredSize: 1 — must be at least minSize (5)",
      ]);
    });

    test("desired above max is refused", () => {
      expect(problemsAfter("dev", [["cluster.nodeGroups[0].desiredSize", 4]])).toEqual([
        "config/dev.yaml: cluster.nodeGroups[0].desiredSize: 4 — must be at most maxSize (2)",
      ]);
    });

    test("an unknown capacity type is refused", () => {
      expect(problemsAfter("dev", [["cluster.nodeGroups[1].capacityType", "RESERVED"]])).toEqual([
        `config/dev.yaml: ${SPOT}.capacityType: "RESERVED" — must be ON_DEMAND or SPOT`,
      ]);
    });

    test("an unknown taint effect is refused", () => {
      expect(problemsAfter("dev", [["cluster.nodeGroups[1].taints[0].effect", "NoSchedule"]])).toEqual([
        expect.stringMatching(/^config\/dev\.yaml: cluster\.nodeGroups\[1\]\.taints\[0\]\.effect: "NoSchedule" — /),
      ]);
    });

    test("names are unique", () => {
      expect(problemsAfter("dev", [["cluster.nodeGroups[1].name", "core"]])).toEqual([
        'config/dev.yaml: cluster.nodeGroups[1].name: "core" — is used by another node group',
      ]);
    });

    test("the node group name fits EKS's 63 characters", () => {
      const name = `g${"x".repeat(60)}`;
      expect(problemsAfter("dev", [["cluster.nodeGroups[1].name", name]])).toEqual([
        `config/dev.yaml: ${SPOT}.name: "${name}" — gives the node group name upskill-dev-${name}-eu-west-1a (84 characters); EKS allows 63`,
      ]);
      // A zonal class's group names end with the AZ: 63 characters must hold that suffix too.
      const fits = `g${"x".repeat(39)}`;
      expect(problemsAfter("dev", [["cluster.nodeGroups[1].name", fits]])).toEqual([]);
      expect(problemsAfter("dev", [["cluster.nodeGroups[1].name", `${fits}x`]])).toEqual([expect.stringContaining("(64 characters); EKS allows 63")]);
    });

    test("a node class with no AZ, or an AZ the environment does not have, is refused", () => {
      expect(problemsAfter("dev", [["cluster.nodeGroups[0].availabilityZones", []]])).toEqual([
        "config/dev.yaml: cluster.nodeGroups[0].availabilityZones: [] — must name at least one of the environment's AZs (eu-west-1a, eu-west-1b): a node class with no AZ has no nodes",
      ]);
      expect(problemsAfter("dev", [["cluster.nodeGroups[0].availabilityZones", ["eu-west-1a", "eu-west-1c"]]])).toEqual([
        'config/dev.yaml: cluster.nodeGroups[0].availabilityZones[1]: "eu-west-1c" — must be one of the environment\'s availabilityZones (eu-west-1a, eu-west-1b): the cluster has subnets there only',
      ]);
      expect(problemsAfter("dev", [["cluster.nodeGroups[1].availabilityZones", ["eu-west-1b"]]])).toEqual([]);
    });

    test("a Spot group mixing instance sizes is refused", () => {
      expect(problemsAfter("staging", [["cluster.nodeGroups[1].instanceTypes", ["m7i.xlarge", "m6i.2xlarge"]]])).toEqual([
        `config/staging.yaml: ${SPOT}.instanceTypes: ["m7i.xlarge","m6i.2xlarge"] — a SPOT group's instance types must all be the same size (found xlarge, 2xlarge), so the autoscaler's node template fits every one of them`,
      ]);
    });

    test("a Spot group needs several instance types", () => {
      expect(problemsAfter("dev", [["cluster.nodeGroups[1].instanceTypes", ["m7i.large"]]])).toEqual([
        `config/dev.yaml: ${SPOT}.instanceTypes: ["m7i.large"] — a SPOT group needs at least 2 instance types, so that an interrupted Spot pool can be replaced from another`,
      ]);
    });

    test("an on-demand group may mix sizes, but not architectures", () => {
      expect(problemsAfter("dev", [["cluster.nodeGroups[0].instanceTypes", ["m7i.large", "m7i.xlarge"]]])).toEqual([]);
      expect(problemsAfter("dev", [["cluster.nodeGroups[0].instanceTypes", ["m7i.large", "m7g.large"]]])).toEqual([
        'config/dev.yaml: cluster.nodeGroups[0].instanceTypes: ["m7i.large","m7g.large"] — mixes Graviton (arm64) and x86_64 instance types; a node group runs one AMI, so use one architecture per group',
      ]);
    });

    test("an instance type is listed once", () => {
      expect(problemsAfter("dev", [["cluster.nodeGroups[1].instanceTypes", ["m7i.large", "m6i.large", "m7i.large"]]])).toEqual([
        `config/dev.yaml: ${SPOT}.instanceTypes[2]: "m7i.large" — is listed twice`,
      ]);
    });

    test("an instance type must look like one", () => {
      expect(problemsAfter("dev", [["cluster.nodeGroups[0].instanceTypes", ["large"]]])).toEqual([
        'config/dev.yaml: cluster.nodeGroups[0].instanceTypes[0]: "large" — must be an EC2 instance type such as m7i.large',
      ]);
    });

    test("production needs an on-demand group", () => {
      expect(problemsAfter("prod", [["cluster.nodeGroups[0].capacityType", "SPOT"], ["cluster.nodeGroups[0].instanceTypes", ["m7i.xlarge", "m6i.xlarge"]]])).toEqual([
        'config/prod.yaml: cluster.nodeGroups: ["core","spot"] — a production environment needs an ON_DEMAND node group for critical work; Spot capacity can be taken back at any time',
      ]);
    });

    test("production's on-demand class keeps at least 2 nodes (minSize is per AZ for a zonal class)", () => {
      expect(problemsAfter("prod", [["cluster.nodeGroups[0].minSize", 0]])).toEqual([
        "config/prod.yaml: cluster.nodeGroups[0].minSize: 0 — must give at least 2 nodes over the class's AZs (minSize is per AZ) for an ON_DEMAND class of a production environment, so critical work survives the loss of a node",
      ]);
      // 1 per AZ over 3 AZs is 3 nodes; one AZ only is 1.
      expect(problemsAfter("prod", [["cluster.nodeGroups[0].minSize", 1]])).toEqual([]);
      expect(problemsAfter("prod", [["cluster.nodeGroups[0].availabilityZones", ["eu-west-1a"]]])).toHaveLength(1);
      // Not a production rule elsewhere.
      expect(problemsAfter("dev", [["cluster.nodeGroups[0].minSize", 1]])).toEqual([]);
    });

    test("some group must be free of NoSchedule taints", () => {
      expect(problemsAfter("dev", [["cluster.nodeGroups[0].taints", [{ key: "dedicated", value: "core", effect: "NO_SCHEDULE" }]]])).toEqual([
        'config/dev.yaml: cluster.nodeGroups: ["core","spot"] — needs a node group without NO_SCHEDULE/NO_EXECUTE taints, where coredns and the platform\'s controllers can run',
      ]);
    });
  });

  describe("public endpoint CIDRs", () => {
    test("something that is not a CIDR is refused", () => {
      expect(problemsAfter("dev", [["cluster.publicAccessCidrs", ["52.94.0.0/22", "my-office"]]])).toEqual([
        'config/dev.yaml: cluster.publicAccessCidrs[1]: "my-office" — is not an IPv4 CIDR such as 198.51.100.0/24',
      ]);
      expect(problemsAfter("dev", [["cluster.publicAccessCidrs", ["300.1.2.0/24"]]])).toEqual([
        'config/dev.yaml: cluster.publicAccessCidrs[0]: "300.1.2.0/24" — is not an IPv4 CIDR such as 198.51.100.0/24',
      ]);
    });

    test("host bits must be zero", () => {
      expect(problemsAfter("dev", [["cluster.publicAccessCidrs", ["52.94.0.7/22"]]])).toEqual([
        'config/dev.yaml: cluster.publicAccessCidrs[0]: "52.94.0.7/22" — has host bits set; the network address is 52.94.0.0/22',
      ]);
    });

    test("the whole internet is refused (outside a non-production environment on GitHub-hosted runners: config/ci-runner.test.ts)", () => {
      expect(problemsAfter("dev", [["cluster.publicAccessCidrs", ["0.0.0.0/0"]]])).toEqual([
        'config/dev.yaml: cluster.publicAccessCidrs[0]: "0.0.0.0/0" — opens the Kubernetes API endpoint to the whole internet; list the CIDRs of your offices or VPN, or none to turn the public endpoint off (CI runs in the VPC with cicd.runner.type codebuild)',
      ]);
    });

    test("private ranges are refused", () => {
      expect(problemsAfter("dev", [["cluster.publicAccessCidrs", ["10.1.0.0/16", "192.168.4.0/24"]]])).toEqual([
        'config/dev.yaml: cluster.publicAccessCidrs[0]: "10.1.0.0/16" — is a private range (RFC 1918), which never reaches the public endpoint; the private endpoint already serves the VPC',
        'config/dev.yaml: cluster.publicAccessCidrs[1]: "192.168.4.0/24" — is a private range (RFC 1918), which never reaches the public endpoint; the private endpoint already serves the VPC',
      ]);
    });

    test("documentation ranges (RFC 5737) are refused in every environment: they admit nobody", () => {
      const why = "is a documentation range (RFC 5737): no client comes from it, so it admits nobody; list your real office, VPN or runner addresses, or none (private endpoint only: CI runs in the VPC, people use CloudShell in the VPC, docs/ci-runners.md)";
      for (const env of ["dev", "staging", "prod"]) {
        expect(problemsAfter(env, [["cluster.publicAccessCidrs", ["192.0.2.0/24", "198.51.100.128/25", "203.0.113.0/24"]]])).toEqual([
          `config/${env}.yaml: cluster.publicAccessCidrs[0]: "192.0.2.0/24" — ${why}`,
          `config/${env}.yaml: cluster.publicAccessCidrs[1]: "198.51.100.128/25" — ${why}`,
          `config/${env}.yaml: cluster.publicAccessCidrs[2]: "203.0.113.0/24" — ${why}`,
        ]);
      }
    });

    test("other special-purpose ranges no client comes from are refused", () => {
      expect(problemsAfter("prod", [["cluster.publicAccessCidrs", ["100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "240.0.0.0/4", "0.0.0.0/8", "192.0.0.0/24"]]])).toEqual([
        'config/prod.yaml: cluster.publicAccessCidrs[0]: "100.64.0.0/10" — is carrier-grade NAT space (RFC 6598), shared by many customers of an ISP and never seen by the public endpoint',
        'config/prod.yaml: cluster.publicAccessCidrs[1]: "127.0.0.0/8" — is loopback (RFC 1122): no client comes from it',
        'config/prod.yaml: cluster.publicAccessCidrs[2]: "169.254.0.0/16" — is link-local (RFC 3927): no client comes from it',
        'config/prod.yaml: cluster.publicAccessCidrs[3]: "224.0.0.0/4" — is multicast or reserved space (RFC 5771, RFC 1112): no client comes from it',
        'config/prod.yaml: cluster.publicAccessCidrs[4]: "240.0.0.0/4" — is multicast or reserved space (RFC 5771, RFC 1112): no client comes from it',
        'config/prod.yaml: cluster.publicAccessCidrs[5]: "0.0.0.0/8" — is \'this network\' (RFC 791): no client comes from it',
        'config/prod.yaml: cluster.publicAccessCidrs[6]: "192.0.0.0/24" — is reserved for IETF protocol assignments (RFC 6890): no client comes from it',
      ]);
    });

    test("public addresses next to the special ranges are accepted", () => {
      expect(problemsAfter("prod", [["cluster.publicAccessCidrs", ["192.0.3.0/24", "198.51.101.0/24", "203.0.114.0/24", "100.128.0.0/16", "223.255.255.0/24"]]])).toEqual([]);
    });

    test("an empty list (public endpoint off) is valid", () => {
      expect(problemsAfter("prod", [["cluster.publicAccessCidrs", []]])).toEqual([]);
    });
  });

  describe("access, add-ons and backups", () => {
    test("admin roles are role ARNs, listed once, and not the CI deploy role", () => {
      expect(problemsAfter("dev", [["cluster.adminRoleArns", ["arn:aws:iam::111111111111:user/alice"]]])).toEqual([
        'config/dev.yaml: cluster.adminRoleArns[0]: "arn:aws:iam::111111111111:user/alice" — must be an IAM role ARN',
      ]);
      const admin = "arn:aws:iam::111111111111:role/platform-admins";
      expect(problemsAfter("dev", [["cluster.adminRoleArns", [admin, admin, "arn:aws:iam::111111111111:role/upskill-dev-ci-deploy"]]])).toEqual([
        `config/dev.yaml: cluster.adminRoleArns[1]: "${admin}" — is listed twice`,
        'config/dev.yaml: cluster.adminRoleArns[2]: "arn:aws:iam::111111111111:role/upskill-dev-ci-deploy" — is the CI deploy role, which is given cluster-admin access already; remove it',
      ]);
      expect(problemsAfter("dev", [["cluster.adminRoleArns", ["arn:aws:iam::111111111111:role/upskill-dev-ci-plan"]]])).toEqual([
        'config/dev.yaml: cluster.adminRoleArns[0]: "arn:aws:iam::111111111111:role/upskill-dev-ci-plan" — is the CI plan role, which gets read-only access and must not administer the cluster; remove it',
      ]);
    });

    test("a production environment needs a human administrator besides the CI roles (break-glass)", () => {
      expect(problemsAfter("prod", [["cluster.adminRoleArns", []]])).toEqual([
        "config/prod.yaml: cluster.adminRoleArns: [] — a production environment needs at least one human administrator role (for example an IAM Identity Center permission set's role) for break-glass access to the cluster; see docs/runbook.md",
      ]);
      expect(problemsAfter("prod", [["cluster.adminRoleArns", ["arn:aws:iam::333333333333:role/platform-admins"]]])).toEqual([]);
      expect(problemsAfter("dev", [["cluster.adminRoleArns", []]])).toEqual([]);
    });

    test("an add-on version must be an EKS add-on version", () => {
      expect(problemsAfter("dev", [["cluster.addonVersions.vpcCni", "1.20"]])).toEqual([
        'config/dev.yaml: cluster.addonVersions.vpcCni: "1.20" — must be an EKS add-on version such as v1.20.4-eksbuild.1',
      ]);
      expect(problemsAfter("dev", [["cluster.addonVersions.vpcCni", "v1.20.4-eksbuild.1"]])).toEqual([]);
    });

    test("the support type is STANDARD or EXTENDED", () => {
      expect(problemsAfter("dev", [["cluster.supportType", "LTS"]])).toEqual(['config/dev.yaml: cluster.supportType: "LTS" — must be STANDARD or EXTENDED']);
    });

    test("backup retention lies within the vault lock's bounds, which are ordered", () => {
      expect(problemsAfter("dev", [["cluster.volumeBackups.vaultLock", { minRetentionDays: 14, maxRetentionDays: 20 }]])).toEqual([
        "config/dev.yaml: cluster.volumeBackups.dailyRetentionDays: 7 — must lie within the vault lock's 14-20 days (cluster.volumeBackups.vaultLock): AWS Backup refuses a job whose retention the lock does not allow",
        "config/dev.yaml: cluster.volumeBackups.weeklyRetentionDays: 30 — must lie within the vault lock's 14-20 days (cluster.volumeBackups.vaultLock): AWS Backup refuses a job whose retention the lock does not allow",
      ]);
      expect(problemsAfter("dev", [["cluster.volumeBackups.vaultLock", { minRetentionDays: 40, maxRetentionDays: 20 }]])).toContain(
        "config/dev.yaml: cluster.volumeBackups.vaultLock.minRetentionDays: 40 — must not exceed maxRetentionDays (20)",
      );
    });

    test("weekly backups are kept at least as long as daily ones", () => {
      expect(problemsAfter("prod", [["cluster.volumeBackups.weeklyRetentionDays", 7]])).toEqual([
        "config/prod.yaml: cluster.volumeBackups.weeklyRetentionDays: 7 — must be at least dailyRetentionDays (35): weekly backups are the long-term ones",
      ]);
    });
  });
});
