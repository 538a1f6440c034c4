import * as path from "node:path";
import { Testing, type App } from "cdktf";
import { loadEnvironments } from "../../config/load";
import type { EnvironmentConfig } from "../../config/schema";
import type { StackJson } from "../../tools/synth/app";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const CONFIG_DIR = path.join(REPO_ROOT, "config");
export const SHIPPED_ENVIRONMENTS = ["dev", "staging", "prod"] as const;

let cache: Map<string, EnvironmentConfig> | undefined;

/** A shipped environment's validated config (loaded once per test file). */
export function shippedEnvironment(name: (typeof SHIPPED_ENVIRONMENTS)[number] | string): EnvironmentConfig {
  cache ??= new Map(loadEnvironments({ dir: CONFIG_DIR, displayDir: "config" }).map((e) => [e.name, e]));
  const env = cache.get(name);
  if (!env) throw new Error(`no shipped environment ${name}`);
  return env;
}

/** A test app whose stacks synthesize into a temporary folder. */
export function testApp(): App {
  return Testing.app();
}

/** Parses a synthesized stack (Testing.synth output) into its JSON. */
export function parseSynth(synth: string): SynthJson {
  return JSON.parse(synth) as SynthJson;
}

/** A synthesized stack's Terraform JSON (cdk.tf.json). */
export type SynthJson = StackJson;

/** Every resource of one type in a synthesized stack, by name. */
export function resourcesOf(json: SynthJson, type: string): Record<string, Record<string, any>> {
  return json.resource?.[type] ?? {};
}
