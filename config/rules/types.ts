import type { EnvironmentConfig } from "../schema";

/** One broken rule: where, what was found, and what the rule asks for. */
export interface ConfigProblem {
  /** Dotted field path inside the file, e.g. `cluster.nodeGroups[0].minSize`. */
  readonly path: string;
  readonly value: unknown;
  /** The rule, phrased as what the value must be. */
  readonly rule: string;
}

/** A semantic rule: a pure function of one type-checked environment. */
export type ConfigRule = (env: EnvironmentConfig) => ConfigProblem[];

export function problem(path: string, value: unknown, rule: string): ConfigProblem {
  return { path, value, rule };
}
