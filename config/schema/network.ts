import { z } from "zod";
import { logRetentionDays } from "./primitives";

/** Interface endpoints the network layer can create (service name suffixes of com.amazonaws.<region>.X). */
export const INTERFACE_ENDPOINT_SERVICES = [
  "ecr.api", "ecr.dkr", "sts", "logs", "monitoring", "ec2", "elasticloadbalancing",
  "autoscaling", "ssm", "ssmmessages", "ec2messages", "kms", "secretsmanager", "eks", "eks-auth",
] as const;

const tcpPort = z.number().int("must be a whole TCP port number").min(1, "must be a TCP port between 1 and 65535").max(65535, "must be a TCP port between 1 and 65535");

const SUBNET_PREFIX = "must be a subnet prefix length from 16 to 28, the sizes AWS accepts";
const subnetPrefix = z.number().int(SUBNET_PREFIX).min(16, SUBNET_PREFIX).max(28, SUBNET_PREFIX);

export const networkSchema = z
  .object({
    vpcCidr: z.string(),
    /** One NAT gateway per AZ (survives an AZ loss) or a single one (cheaper). */
    natGateways: z.enum(["per-az", "single"], { error: 'must be "per-az" (one NAT gateway per AZ) or "single" (one for the VPC)' }),
    /** Prefix length of each tier's subnets; every AZ gets one subnet per tier. */
    subnetPrefixLength: z
      .object({
        public: subnetPrefix.default(24),
        private: subnetPrefix.default(20),
        data: subnetPrefix.default(24),
      })
      .strict()
      .default({ public: 24, private: 20, data: 24 }),
    /** Ports the ALB may reach on the nodes (the app's container ports). */
    appPorts: z.array(tcpPort).min(1, "must list at least one port").default([8080]),
    /** TCP ports the nodes may reach on the internet through NAT (security group and network ACLs). */
    internetEgressPorts: z.array(tcpPort).min(1, "must list at least one port (443 for AWS APIs and image registries)").default([443]),
    interfaceEndpoints: z
      .array(z.enum(INTERFACE_ENDPOINT_SERVICES, { error: `must be one of ${INTERFACE_ENDPOINT_SERVICES.join(", ")} (S3 and DynamoDB always get gateway endpoints)` }))
      .default(["ecr.api", "ecr.dkr", "sts", "logs"]),
    flowLogs: z
      .object({
        /** Default: the environment's logRetentionDays. */
        retentionDays: logRetentionDays.optional(),
        trafficType: z.enum(["ALL", "REJECT", "ACCEPT"]).default("ALL"),
      })
      .strict()
      .default({ trafficType: "ALL" }),
  })
  .strict();

export type NetworkConfig = z.infer<typeof networkSchema>;
