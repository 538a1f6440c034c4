import * as fs from "node:fs";
import * as path from "node:path";
import { readManifest } from "./manifest";

/** A stack's Terraform JSON (cdk.tf.json). */
export interface StackJson {
  readonly terraform?: Record<string, any>;
  readonly provider?: Record<string, Array<Record<string, any>>>;
  readonly resource?: Record<string, Record<string, Record<string, any>>>;
  readonly data?: Record<string, Record<string, Record<string, any>>>;
  readonly output?: Record<string, any>;
  readonly [key: string]: unknown;
}

/** One resource (or data source) of a synthesized stack. */
export interface SynthResource {
  /** `<stack>/<type>.<name>` (`<stack>/data.<type>.<name>` for a data source): how checks name it. */
  readonly address: string;
  readonly stack: string;
  readonly type: string;
  readonly name: string;
  readonly config: Record<string, any>;
}

/** The synthesized app: every stack's JSON and dependencies, and its resources. */
export interface SynthApp {
  readonly stacks: ReadonlyMap<string, StackJson>;
  readonly dependencies: ReadonlyMap<string, readonly string[]>;
  readonly resources: readonly SynthResource[];
  readonly dataSources: readonly SynthResource[];
}

/** Builds the app view from stack JSON already in memory (tests, or after reading the files). */
export function buildApp(stacks: ReadonlyMap<string, StackJson>, dependencies: ReadonlyMap<string, readonly string[]> = new Map()): SynthApp {
  const collect = (kind: "resource" | "data"): SynthResource[] =>
    [...stacks].flatMap(([stack, json]) =>
      Object.entries(json[kind] ?? {}).flatMap(([type, byName]) =>
        Object.entries(byName).map(([name, config]) => ({
          address: `${stack}/${kind === "data" ? "data." : ""}${type}.${name}`,
          stack,
          type,
          name,
          config,
        })),
      ),
    );
  return { stacks, dependencies, resources: collect("resource"), dataSources: collect("data") };
}

/** Reads a cdktf output folder (manifest.json and each stack's cdk.tf.json). */
export function loadSynthApp(dir: string): SynthApp {
  const manifest = readManifest(path.join(dir, "manifest.json"));
  const stacks = new Map<string, StackJson>();
  const dependencies = new Map<string, readonly string[]>();
  for (const s of manifest.stacks) {
    stacks.set(s.id, JSON.parse(fs.readFileSync(s.stackFile, "utf8")));
    dependencies.set(s.id, s.dependencies);
  }
  return buildApp(stacks, dependencies);
}
