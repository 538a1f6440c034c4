import * as fs from "node:fs";
import * as path from "node:path";
import type { SynthJson } from "./fixtures";

/** One resource (or data source) of the synthesized app. */
export interface SynthResource {
  /** `<stack>/<type>.<name>`: how a failing check names it. */
  readonly address: string;
  readonly stack: string;
  readonly type: string;
  readonly name: string;
  readonly config: Record<string, any>;
}

export interface SynthesizedApp {
  /** Stack id to its Terraform JSON. */
  readonly stacks: ReadonlyMap<string, SynthJson>;
  /** Stack id to the ids of the stacks it depends on. */
  readonly dependencies: ReadonlyMap<string, readonly string[]>;
  readonly resources: readonly SynthResource[];
  readonly dataSources: readonly SynthResource[];
  /** Resources of one type, across every stack. */
  ofType(type: string): SynthResource[];
}

let loaded: SynthesizedApp | undefined;

/**
 * The whole app as `npm run synth` writes it for the shipped environments,
 * synthesized once by the jest global setup.
 */
export function synthesizedApp(): SynthesizedApp {
  if (loaded) return loaded;
  const dir = process.env.UPSKILL_TEST_SYNTH_DIR;
  if (!dir) throw new Error("UPSKILL_TEST_SYNTH_DIR is not set: run the tests through jest (global setup synthesizes the app)");
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
  const stacks = new Map<string, SynthJson>();
  const dependencies = new Map<string, string[]>();
  for (const [id, entry] of Object.entries<any>(manifest.stacks)) {
    stacks.set(id, JSON.parse(fs.readFileSync(path.join(dir, entry.synthesizedStackPath), "utf8")));
    dependencies.set(id, entry.dependencies ?? []);
  }
  const collect = (kind: "resource" | "data"): SynthResource[] =>
    [...stacks].flatMap(([stack, json]) =>
      Object.entries(json[kind] ?? {}).flatMap(([type, byName]) =>
        Object.entries(byName).map(([name, config]) => ({ address: `${stack}/${kind === "data" ? "data." : ""}${type}.${name}`, stack, type, name, config })),
      ),
    );
  const resources = collect("resource");
  loaded = {
    stacks,
    dependencies,
    resources,
    dataSources: collect("data"),
    ofType: (type) => resources.filter((r) => r.type === type),
  };
  return loaded;
}

/** The stack ids of one environment. */
export function stacksOf(app: SynthesizedApp, environment: string): string[] {
  return [...app.stacks.keys()].filter((id) => id.startsWith(`${environment}-`));
}
