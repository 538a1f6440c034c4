import { z } from "zod";
import { emailAddress } from "./primitives";

/** The observability layer: alert recipients, budget, alarm thresholds. */

export const observabilitySchema = z
  .object({
    alarmEmails: z.array(emailAddress).min(1, "must list at least one address to alert"),
    monthlyBudgetUsd: z.number().positive("must be a positive amount in USD"),
  })
  .strict();

export type ObservabilityConfig = z.infer<typeof observabilitySchema>;
