import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The layers in deploy order: ties in the dependency graph are broken by it.
 * Mirrors LAYERS in stacks/layer-stack.ts (a test keeps them equal) so the
 * tools load no cdktf code.
 */
export const DEPLOY_ORDER = ["bootstrap", "network", "data", "cluster", "platform", "edge", "app", "observability"] as const;

/** One stack of `cdktf.out/manifest.json`. */
export interface ManifestStack {
  readonly id: string;
  readonly environment: string;
  readonly layer: string;
  readonly dependencies: readonly string[];
  /** Absolute path of the folder terraform runs in. */
  readonly workingDirectory: string;
  /** Absolute path of its cdk.tf.json. */
  readonly stackFile: string;
}

/** The stacks of a synthesized app, from its manifest. */
export interface Manifest {
  readonly dir: string;
  readonly stacks: readonly ManifestStack[];
}

/** `<env>-<layer>`: the layer is the last dash-separated part (layer names hold no dash). */
export function splitStackId(id: string): { environment: string; layer: string } {
  const cut = id.lastIndexOf("-");
  if (cut <= 0) throw new Error(`stack id "${id}" is not <environment>-<layer>`);
  return { environment: id.slice(0, cut), layer: id.slice(cut + 1) };
}

/** Reads `manifest.json` of a cdktf output folder (default cdktf.out). */
export function readManifest(file: string): Manifest {
  let json: any;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`${file}: ${code === "ENOENT" ? "not found; run `npm run synth` first" : (e as Error).message}`);
  }
  if (!json || typeof json.stacks !== "object") throw new Error(`${file}: has no "stacks"; is it a cdktf manifest?`);
  const dir = path.dirname(path.resolve(file));
  const stacks = Object.entries<any>(json.stacks).map(([id, entry]) => ({
    id,
    ...splitStackId(id),
    dependencies: [...(entry.dependencies ?? [])],
    workingDirectory: path.join(dir, entry.workingDirectory ?? path.join("stacks", id)),
    stackFile: path.join(dir, entry.synthesizedStackPath ?? path.join("stacks", id, "cdk.tf.json")),
  }));
  return { dir, stacks };
}

function layerRank(layer: string): number {
  const i = (DEPLOY_ORDER as readonly string[]).indexOf(layer);
  return i < 0 ? DEPLOY_ORDER.length : i;
}

/**
 * The stacks in an order where each comes after every stack it depends on
 * (Kahn's algorithm); among stacks free at the same time, deploy order of
 * their layer, then id. Throws on a cycle or a dependency outside the set.
 */
export function dependencyOrder(stacks: readonly Pick<ManifestStack, "id" | "layer" | "dependencies">[]): string[] {
  const ids = new Set(stacks.map((s) => s.id));
  for (const s of stacks) {
    const outside = s.dependencies.filter((d) => !ids.has(d));
    if (outside.length > 0) throw new Error(`${s.id} depends on ${outside.join(", ")}, which is not among the stacks being ordered`);
  }
  const pending = new Map(stacks.map((s) => [s.id, new Set(s.dependencies)]));
  const byId = new Map(stacks.map((s) => [s.id, s]));
  const order: string[] = [];
  while (pending.size > 0) {
    const ready = [...pending].filter(([, deps]) => deps.size === 0).map(([id]) => byId.get(id)!);
    if (ready.length === 0) throw new Error(`dependency cycle among ${[...pending.keys()].sort().join(", ")}`);
    ready.sort((a, b) => layerRank(a.layer) - layerRank(b.layer) || a.id.localeCompare(b.id));
    const next = ready[0]!;
    order.push(next.id);
    pending.delete(next.id);
    for (const deps of pending.values()) deps.delete(next.id);
  }
  return order;
}

/** The backend a stack uses (`s3`, `local`...) and its settings, from its cdk.tf.json. */
export function stackBackend(stack: Pick<ManifestStack, "stackFile">): { type: string; config: Record<string, any> } | undefined {
  const json = JSON.parse(fs.readFileSync(stack.stackFile, "utf8"));
  const backends = Object.entries<Record<string, any>>(json.terraform?.backend ?? {});
  return backends.length > 0 ? { type: backends[0]![0], config: backends[0]![1] } : undefined;
}
