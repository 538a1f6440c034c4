import { Testing, type TerraformStack } from "cdktf";
import type { SynthJson } from "./fixtures";
import type { SynthesizedApp, SynthResource } from "./synthesized-app";

/** A SynthesizedApp of the given stacks' JSON (by stack id), for policy checks over stand-in stacks. */
export function appOfJson(stacks: ReadonlyMap<string, SynthJson>): SynthesizedApp {
  const collect = (kind: "resource" | "data"): SynthResource[] =>
    [...stacks].flatMap(([stack, json]) =>
      Object.entries(json[kind] ?? {}).flatMap(([type, byName]) =>
        Object.entries(byName).map(([name, config]) => ({ address: `${stack}/${kind === "data" ? "data." : ""}${type}.${name}`, stack, type, name, config })),
      ),
    );
  const resources = collect("resource");
  return { stacks, dependencies: new Map(), resources, dataSources: collect("data"), ofType: (type) => resources.filter((r) => r.type === type) };
}

/** The stand-in app of synthesized stacks (each built in its own test app). */
export function standInApp(stacks: readonly TerraformStack[]): SynthesizedApp {
  return appOfJson(new Map(stacks.map((s) => [s.node.id, JSON.parse(Testing.synth(s)) as SynthJson])));
}
