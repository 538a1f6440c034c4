import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import type { ValuesLayer } from "./values";

/**
 * The static values of one release: `<dir>/<release>.yaml` (required), then
 * `<dir>/<environment>/<release>.yaml` where it exists, which overrides it.
 * Sources are named relative to `displayRoot` (e.g. `helm-values/upskill-api.yaml`).
 */
export function loadValuesLayers(dir: string, release: string, environment: string, displayRoot = path.dirname(dir)): ValuesLayer[] {
  const base = path.join(dir, `${release}.yaml`);
  const overlay = path.join(dir, environment, `${release}.yaml`);
  if (!fs.existsSync(base)) {
    throw new Error(`${path.relative(displayRoot, base)} is missing: every release needs its values file (replicas, resources, autoscaling, disruption budget, topology spread)`);
  }
  return [base, overlay].filter((f) => f === base || fs.existsSync(f)).map((file) => {
    const source = path.relative(displayRoot, file);
    const values: unknown = parse(fs.readFileSync(file, "utf8")) ?? {};
    if (typeof values !== "object" || Array.isArray(values)) throw new Error(`${source} must hold a YAML mapping of values`);
    return { source, values: values as Record<string, unknown> };
  });
}
