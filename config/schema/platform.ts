import { z } from "zod";
import { semver } from "./primitives";

/** The platform layer: pinned chart versions of the cluster add-ons installed with Helm. */

export const platformSchema = z
  .object({
    charts: z
      .object({
        awsLoadBalancerController: z.object({ version: semver }).strict(),
        clusterAutoscaler: z
          .object({
            version: semver,
            /** Default: the image for cluster.kubernetesVersion (modules/helm-addon/cluster-autoscaler/images.ts); set it only to pin another patch. */
            imageTag: z.string().regex(/^v\d+\.\d+\.\d+$/, "must be an image tag such as v1.35.0").optional(),
          })
          .strict(),
        metricsServer: z.object({ version: semver }).strict(),
      })
      .strict(),
  })
  .strict();

export type PlatformConfig = z.infer<typeof platformSchema>;
