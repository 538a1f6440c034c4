import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";

/**
 * The repository's `helm-values/` folder. Stacks run from `stacks/` (tsx, jest)
 * or from the bundle in `.build/`: both are one level below the root.
 */
export const HELM_VALUES_DIR = path.resolve(__dirname, "..", "helm-values");

/** The app's one chart, installed from this folder for every service (docs/app-chart.md). */
export const APP_CHART_DIR = path.resolve(__dirname, "..", "charts", "upskill-service");

/**
 * Reads `helm-values/<name>.yaml`, the static values of one release, as a
 * mapping. Throws with the file's path when it is missing, is not valid YAML,
 * or is not a mapping.
 */
export function readHelmValues(name: string, dir = HELM_VALUES_DIR): Record<string, unknown> {
  const file = path.join(dir, `${name}.yaml`);
  const shown = path.relative(process.cwd(), file) || file;
  if (!fs.existsSync(file)) throw new Error(`${shown}: missing; every Helm release reads its static values from helm-values/<release>.yaml`);
  const doc = parseDocument(fs.readFileSync(file, "utf8"), { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) throw new Error(`${shown}: ${doc.errors[0].message}`);
  const values: unknown = doc.toJS() ?? {};
  if (typeof values !== "object" || Array.isArray(values) || values === null) throw new Error(`${shown}: must be a YAML mapping of chart values`);
  return values as Record<string, unknown>;
}
