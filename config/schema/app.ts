import { z } from "zod";
import { nameToken } from "./primitives";

/** The app layer: ECR image repositories and the app's own Helm releases (of charts/upskill-service). */

export const appServiceSchema = z
  .object({
    name: nameToken,
    /**
     * Gone: every service installs the repository's chart charts/upskill-service at its
     * Chart.yaml version. Refused with that message rather than as an unknown key.
     */
    chartVersion: z
      .undefined({ error: "is no longer set here: every service installs charts/upskill-service at the version in its Chart.yaml (bump it there, then `npm run chart:digest`)" })
      .optional(),
    imageTag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, "must be a container image tag"),
    /** Where the pods may run: core (on-demand) or spot (Spot allowed). */
    nodeClass: z.enum(["core", "spot"], { error: "must be a node class: core or spot" }),
    /** Container port; absent for services the load balancer does not reach. */
    port: z.number().int().min(1).max(65535).optional(),
    healthCheckPath: z.string().regex(/^\//, "must be a URL path starting with '/'").default("/healthz"),
    /** ALB listener rule: host prefixes (subdomains) and paths routed to this service. */
    routes: z
      .object({ hosts: z.array(z.string()).default([]), paths: z.array(z.string().regex(/^\//, "must start with '/'")).default([]) })
      .strict()
      .optional(),
    /** Whether the service's role may read and write the uploads bucket. */
    uploadsAccess: z.boolean().default(false),
    /**
     * The service's PostgreSQL access: it connects with IAM authentication as its own role
     * (`upskill_<service>`), which the provisioning job creates with these grants. `none`: no
     * database role and no `rds-db:connect`. Default: none.
     */
    /**
     * AWS-managed policies attached to the service's role besides what the fields above grant
     * (e.g. `arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess`). Never one that grants IAM,
     * Terraform state or whole-service data access (config rule servicePoliciesWithinBoundary).
     */
    managedPolicyArns: z.array(z.string()).default([]),
    database: z.enum(["none", "read", "readwrite"], { error: "must be a database access: none, read or readwrite" }).default("none"),
  })
  .strict();

export const appSchema = z
  .object({
    services: z.array(appServiceSchema).min(1),
    /** Images kept per ECR repository. */
    keepImages: z.number().int().min(1).max(1000).default(30),
  })
  .strict();

export type AppConfig = z.infer<typeof appSchema>;
export type AppServiceConfig = z.infer<typeof appServiceSchema>;
