import { z } from "zod";
import { logRetentionDays } from "./primitives";

/** Interface endpoints the network layer can create (service name suffixes of com.amazonaws.<region>.X). */
export const INTERFACE_ENDPOINT_SERVICES = [
  "ecr.api", "ecr.dkr", "sts", "logs", "monitoring", "ec2", "elasticloadbalancing",
  "autoscaling", "ssm", "ssmmessages", "ec2messages", "kms", "secretsmanager", "eks", "eks-auth",
] as const;

export const networkSchema = z
  .object({
    vpcCidr: z.string(),
    /** One NAT gateway per AZ (survives an AZ loss) or a single one (cheaper). */
    natGateways: z.enum(["per-az", "single"]),
    /** Prefix length of each tier's subnets; every AZ gets one subnet per tier. */
    subnetPrefixLength: z
      .object({
        public: z.number().int().min(16).max(28).default(24),
        private: z.number().int().min(16).max(28).default(20),
        data: z.number().int().min(16).max(28).default(24),
      })
      .strict()
      .default({ public: 24, private: 20, data: 24 }),
    /** Ports the ALB may reach on the nodes (the app's container ports). */
    appPorts: z.array(z.number().int().min(1).max(65535)).min(1).default([8080]),
    /** TCP ports the nodes may reach on the internet through NAT (security group and network ACLs). */
    internetEgressPorts: z.array(z.number().int().min(1).max(65535)).min(1).default([443]),
    interfaceEndpoints: z.array(z.enum(INTERFACE_ENDPOINT_SERVICES)).default(["ecr.api", "ecr.dkr", "sts", "logs"]),
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
