import { Testing, type TerraformStack } from "cdktf";
import { buildApp } from "../../tools/synth/app";
import type { SynthJson } from "./fixtures";
import type { SynthesizedApp } from "./synthesized-app";

/** A SynthesizedApp of the given stacks' JSON (by stack id), for policy checks over stand-in stacks. */
export function appOfJson(stacks: ReadonlyMap<string, SynthJson>): SynthesizedApp {
  const app = buildApp(stacks);
  return { ...app, ofType: (type) => app.resources.filter((r) => r.type === type) };
}

/** The stand-in app of synthesized stacks (each built in its own test app). */
export function standInApp(stacks: readonly TerraformStack[]): SynthesizedApp {
  return appOfJson(new Map(stacks.map((s) => [s.node.id, JSON.parse(Testing.synth(s)) as SynthJson])));
}
