import { z } from "zod";
import { nameToken } from "./primitives";

/** The cluster layer: EKS, node groups, managed add-ons, volume backups. */

/** An EKS add-on version as `aws eks describe-addon-versions` prints it, e.g. v1.20.4-eksbuild.1. */
const addonVersion = z.string().regex(/^v\d+\.\d+\.\d+(-eksbuild\.\d+)?$/, "must be an EKS add-on version such as v1.20.4-eksbuild.1");

export const nodeGroupSchema = z
  .object({
    name: nameToken,
    capacityType: z.enum(["ON_DEMAND", "SPOT"], { error: "must be ON_DEMAND or SPOT" }),
    instanceTypes: z.array(z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "must be an EC2 instance type such as m7i.large")).min(1),
    /**
     * One managed node group per AZ (the stack expands this entry; sizes below are then per AZ),
     * so the cluster autoscaler can add a node in the AZ a pending pod needs (zonal volumes,
     * zone spread). false: one group over all its AZs (sizes for the whole group).
     */
    zonal: z.boolean().default(true),
    /** The AZs of the class. Default: the environment's availabilityZones. */
    availabilityZones: z.array(z.string()).optional(),
    minSize: z.number().int().min(0),
    desiredSize: z.number().int().min(0),
    maxSize: z.number().int().min(1),
    diskSizeGb: z.number().int().min(20).max(16384).default(50),
    /** Percentage of nodes replaced at once during an update. */
    maxUnavailablePercentage: z.number().int().min(1).max(100).default(33),
    labels: z.record(z.string(), z.string()).default({}),
    taints: z
      .array(
        z
          .object({
            key: z.string().min(1),
            value: z.string().optional(),
            effect: z.enum(["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"]),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

export const clusterSchema = z
  .object({
    /** Default: `<project>-<env>`. */
    name: z.string().optional(),
    kubernetesVersion: z.string().regex(/^1\.\d{2}$/, "must be a Kubernetes minor version such as 1.35"),
    /** CIDRs that may reach the public API endpoint; empty turns the public endpoint off. */
    publicAccessCidrs: z.array(z.string()).default([]),
    /**
     * The private API endpoint (the VPC: nodes, CodeBuild runners, CloudShell VPC environments).
     * Default: true. CodeBuild runners need it (config rule `ciReachesCluster`).
     */
    endpointPrivateAccess: z.boolean().default(true),
    /** IAM role ARNs given cluster-admin through access entries. */
    adminRoleArns: z.array(z.string().regex(/^arn:aws:iam::\d{12}:role\/[\w+=,.@\/-]+$/, "must be an IAM role ARN")).default([]),
    nodeGroups: z.array(nodeGroupSchema).min(1),
    /**
     * EKS support policy at the end of standard support: STANDARD upgrades the
     * control plane automatically, EXTENDED keeps the version (paid extended support).
     */
    supportType: z.enum(["STANDARD", "EXTENDED"], { error: "must be STANDARD or EXTENDED" }).default("STANDARD"),
    /**
     * Pinned managed add-on versions (`aws eks describe-addon-versions`). An absent
     * one follows EKS's default version for the cluster's Kubernetes version.
     */
    addonVersions: z
      .object({
        vpcCni: addonVersion.optional(),
        coredns: addonVersion.optional(),
        kubeProxy: addonVersion.optional(),
        ebsCsiDriver: addonVersion.optional(),
        snapshotController: addonVersion.optional(),
        podIdentityAgent: addonVersion.optional(),
      })
      .strict()
      .default({}),
    volumeBackups: z
      .object({
        dailyRetentionDays: z.number().int().min(1).max(3650).default(14),
        weeklyRetentionDays: z.number().int().min(1).max(3650).default(90),
        copyToDrRegion: z.boolean().default(true),
        /** Vault Lock (governance mode) on the primary and DR vaults: recovery points live between these bounds. */
        vaultLock: z
          .object({ minRetentionDays: z.number().int().min(1).default(7), maxRetentionDays: z.number().int().min(1).max(36500).default(3650) })
          .strict()
          .default({ minRetentionDays: 7, maxRetentionDays: 3650 }),
      })
      .strict()
      .default({ dailyRetentionDays: 14, weeklyRetentionDays: 90, copyToDrRegion: true, vaultLock: { minRetentionDays: 7, maxRetentionDays: 3650 } }),
  })
  .strict();

export type ClusterConfig = z.infer<typeof clusterSchema>;
export type NodeGroupConfig = z.infer<typeof nodeGroupSchema>;
