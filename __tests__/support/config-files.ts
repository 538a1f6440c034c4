import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { ConfigError, loadEnvironments } from "../../config/load";
import { CONFIG_DIR } from "./fixtures";

/** A change to one shipped file: set `path` (dotted, `[i]` for list items) to `value`; `undefined` deletes it. */
export type Edit = readonly [path: string, value: unknown];

function toKeys(p: string): (string | number)[] {
  return p.split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== "").map((k) => (/^\d+$/.test(k) ? Number(k) : k));
}

/**
 * Writes a copy of the shipped config folder into a temporary folder with
 * the edits applied to `<env>.yaml`, and returns the folder.
 */
export function editedConfigDir(env: string, edits: readonly Edit[], extraFiles: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "upskill-config-"));
  for (const f of fs.readdirSync(CONFIG_DIR).filter((f) => f.endsWith(".yaml"))) fs.copyFileSync(path.join(CONFIG_DIR, f), path.join(dir, f));
  const file = path.join(dir, `${env}.yaml`);
  const doc = parseDocument(fs.readFileSync(file, "utf8"));
  for (const [p, value] of edits) {
    if (value === undefined) doc.deleteIn(toKeys(p));
    else doc.setIn(toKeys(p), value);
  }
  fs.writeFileSync(file, doc.toString());
  for (const [name, text] of Object.entries(extraFiles)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

/**
 * The problems reported for the shipped `<env>.yaml` with the edits applied
 * (only that environment is loaded); [] when it is valid.
 */
export function problemsAfter(env: string, edits: readonly Edit[]): string[] {
  const dir = editedConfigDir(env, edits);
  try {
    loadEnvironments({ dir, only: [env], displayDir: "config" });
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
