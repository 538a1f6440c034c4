import { problemsAfter } from "../support/config-files";

const SHIPPED_PREFIXES = '{"public":24,"private":20,"data":24}';

describe("config: network", () => {
  describe("rules", () => {
    test("the VPC CIDR must be IPv4 CIDR syntax", () => {
      expect(problemsAfter("dev", [["network.vpcCidr", "10.10.0/16"]])).toEqual([
        'config/dev.yaml: network.vpcCidr: "10.10.0/16" — is not an IPv4 CIDR such as 10.20.0.0/16',
      ]);
      expect(problemsAfter("dev", [["network.vpcCidr", "10.10.0.0"]])).toEqual([
        'config/dev.yaml: network.vpcCidr: "10.10.0.0" — is not an IPv4 CIDR such as 10.20.0.0/16',
      ]);
    });

    test("the VPC CIDR must not have host bits set", () => {
      expect(problemsAfter("dev", [["network.vpcCidr", "10.10.1.0/16"]])).toEqual([
        'config/dev.yaml: network.vpcCidr: "10.10.1.0/16" — has host bits set; the network address is 10.10.0.0/16',
      ]);
    });

    test("the VPC prefix length is between /16 and /24", () => {
      expect(problemsAfter("dev", [["network.vpcCidr", "10.0.0.0/12"]])).toEqual([
        'config/dev.yaml: network.vpcCidr: "10.0.0.0/12" — must have a prefix length between /16 and /24, the sizes a VPC accepts here',
      ]);
    });

    test("the VPC CIDR lies in a private range", () => {
      expect(problemsAfter("dev", [["network.vpcCidr", "8.8.0.0/16"]])).toEqual([
        'config/dev.yaml: network.vpcCidr: "8.8.0.0/16" — must lie in a private (RFC 1918) range: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, so it never shadows internet addresses',
      ]);
      expect(problemsAfter("dev", [["network.vpcCidr", "172.32.0.0/16"]])).toHaveLength(1);
      expect(problemsAfter("dev", [["network.vpcCidr", "192.168.0.0/16"]])).toEqual([]);
    });

    test("every subnet must fit in the VPC", () => {
      expect(problemsAfter("dev", [["network.vpcCidr", "10.10.0.0/20"]])).toEqual([
        `config/dev.yaml: network.subnetPrefixLength: ${SHIPPED_PREFIXES} — 2 AZs x (public /24 + private /20 + data /24) do not fit in 10.10.0.0/20; use a larger VPC CIDR or longer subnet prefixes`,
      ]);
      // More AZs need more room: a /20 fits 2 AZs of /22 private subnets but not 3.
      expect(problemsAfter("staging", [["network.vpcCidr", "10.20.0.0/20"], ["network.subnetPrefixLength.private", 22]])).toEqual([
        'config/staging.yaml: network.subnetPrefixLength: {"public":24,"private":22,"data":24} — 3 AZs x (public /24 + private /22 + data /24) do not fit in 10.20.0.0/20; use a larger VPC CIDR or longer subnet prefixes',
      ]);
      expect(problemsAfter("dev", [["network.vpcCidr", "10.10.0.0/20"], ["network.subnetPrefixLength.private", 22]])).toEqual([]);
    });

    test("no tier's subnet may be larger than the VPC", () => {
      expect(problemsAfter("dev", [["network.vpcCidr", "10.10.0.0/22"]])).toEqual([
        `config/dev.yaml: network.subnetPrefixLength: ${SHIPPED_PREFIXES} — private subnets (/20) are larger than the VPC (/22)`,
      ]);
    });

    test("a VPC too small is reported for its size and for the subnets at once", () => {
      expect(problemsAfter("dev", [["network.vpcCidr", "10.10.0.0/25"]])).toEqual([
        'config/dev.yaml: network.vpcCidr: "10.10.0.0/25" — must have a prefix length between /16 and /24, the sizes a VPC accepts here',
        `config/dev.yaml: network.subnetPrefixLength: ${SHIPPED_PREFIXES} — private subnets (/20) are larger than the VPC (/25)`,
      ]);
    });

    test("ports and endpoint services are listed once", () => {
      expect(
        problemsAfter("prod", [
          ["network.appPorts", [8080, 9090, 8080]],
          ["network.internetEgressPorts", [443, 443]],
          ["network.interfaceEndpoints", ["sts", "logs", "sts"]],
        ]),
      ).toEqual([
        "config/prod.yaml: network.appPorts[2]: 8080 — is listed twice",
        "config/prod.yaml: network.internetEgressPorts[1]: 443 — is listed twice",
        'config/prod.yaml: network.interfaceEndpoints[2]: "sts" — is listed twice',
      ]);
    });
  });

  describe("types", () => {
    test("the NAT strategy is per-az or single", () => {
      expect(problemsAfter("dev", [["network.natGateways", "two"]])).toEqual([
        'config/dev.yaml: network.natGateways: "two" — must be "per-az" (one NAT gateway per AZ) or "single" (one for the VPC)',
      ]);
    });

    test("ports are TCP ports", () => {
      expect(problemsAfter("dev", [["network.appPorts", [0]], ["network.internetEgressPorts", [70000]]])).toEqual([
        "config/dev.yaml: network.appPorts[0]: 0 — must be a TCP port between 1 and 65535",
        "config/dev.yaml: network.internetEgressPorts[0]: 70000 — must be a TCP port between 1 and 65535",
      ]);
      expect(problemsAfter("dev", [["network.appPorts", []]])).toEqual(["config/dev.yaml: network.appPorts: [] — must list at least one port"]);
    });

    test("subnet prefix lengths are ones AWS accepts", () => {
      expect(problemsAfter("dev", [["network.subnetPrefixLength.data", 29]])).toEqual([
        "config/dev.yaml: network.subnetPrefixLength.data: 29 — must be a subnet prefix length from 16 to 28, the sizes AWS accepts",
      ]);
    });

    test("interface endpoints are services the layer knows", () => {
      expect(problemsAfter("dev", [["network.interfaceEndpoints", ["s3"]]])).toEqual([
        expect.stringMatching(/^config\/dev\.yaml: network\.interfaceEndpoints\[0\]: "s3" — must be one of ecr\.api, ecr\.dkr, .* \(S3 and DynamoDB always get gateway endpoints\)$/),
      ]);
    });

    test("flow log retention is a CloudWatch Logs retention period", () => {
      expect(problemsAfter("dev", [["network.flowLogs.retentionDays", 10]])).toEqual([
        expect.stringMatching(/^config\/dev\.yaml: network\.flowLogs\.retentionDays: 10 — must be one of CloudWatch Logs' retention periods: 1, 3, 5/),
      ]);
    });

    test("the VPC CIDR is required", () => {
      expect(problemsAfter("dev", [["network.vpcCidr", undefined]])).toEqual(["config/dev.yaml: network.vpcCidr: (missing) — is required"]);
    });
  });
});
