import { baseRules } from "./base";
import { networkRules } from "./network";
import { dataRules } from "./data";
import { clusterRules } from "./cluster";
import { platformRules } from "./platform";
import { edgeRules } from "./edge";
import { appRules } from "./app";
import { observabilityRules } from "./observability";
import type { ConfigRule } from "./types";

/** Every semantic rule, run on each environment whose file passed the schema. */
export const ALL_RULES: readonly ConfigRule[] = [
  ...baseRules,
  ...networkRules,
  ...dataRules,
  ...clusterRules,
  ...platformRules,
  ...edgeRules,
  ...appRules,
  ...observabilityRules,
];

export type { ConfigProblem, ConfigRule } from "./types";
