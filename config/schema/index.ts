import { z } from "zod";
import { baseFields } from "./base";
import { networkSchema } from "./network";
import { dataSchema } from "./data";
import { clusterSchema } from "./cluster";
import { platformSchema } from "./platform";
import { edgeSchema } from "./edge";
import { appSchema } from "./app";
import { observabilitySchema } from "./observability";

/**
 * One environment's file, `config/<env>.yaml`. Unknown keys are refused so
 * that a typo fails synthesis instead of being silently ignored.
 */
export const environmentFileSchema = z
  .object({
    ...baseFields,
    network: networkSchema,
    data: dataSchema,
    cluster: clusterSchema,
    platform: platformSchema,
    edge: edgeSchema,
    app: appSchema,
    observability: observabilitySchema,
  })
  .strict();

export type EnvironmentFile = z.infer<typeof environmentFileSchema>;

/** A validated environment: the file's settings plus the name taken from the file name. */
export interface EnvironmentConfig extends EnvironmentFile {
  /** The file name without `.yaml`: dev, staging, prod... */
  readonly name: string;
  /** Whether this is the production environment (stricter rules apply). */
  readonly isProduction: boolean;
  /** Derived names, the same everywhere they are used. */
  readonly names: {
    readonly stateBucket: string;
    readonly lockTable: string;
    readonly cluster: string;
    readonly postgres: string;
    /** `<project>-<env>`: the prefix of every resource name. */
    readonly prefix: string;
  };
}
