// Builds the app into one CommonJS file with esbuild, and rebuilds it only when a
// source is newer than the bundle. Running the bundle with plain `node` skips
// TypeScript loading and most module resolution: see "Why a bundle" in README.md.
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const BUNDLE = path.join(ROOT, ".build", "main.js");
const SOURCES = ["main.ts", "config", "stacks", "modules", "tools", "package-lock.json", "package.json"];

function newestMtime(p) {
  if (!fs.existsSync(p)) return 0;
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return p.endsWith(".ts") || p.endsWith(".json") ? stat.mtimeMs : 0;
  let newest = 0;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

/** Whether the bundle is missing or older than any source it is built from. */
export function bundleIsStale() {
  if (!fs.existsSync(BUNDLE)) return true;
  const built = fs.statSync(BUNDLE).mtimeMs;
  return SOURCES.some((s) => newestMtime(path.join(ROOT, s)) > built);
}

/**
 * cdktf records a full stack trace for every token it creates (about 30% of
 * the synthesis time), used only to say where a token was made when resolving
 * it fails. The bundle skips that; `npx tsx main.ts` (the unbundled app) keeps
 * it for debugging such an error. The synthesized JSON is the same either way
 * (__tests__/stacks/bundle-output.test.ts compares them).
 */
const skipTokenStackTraces = {
  name: "skip-token-stack-traces",
  setup(build) {
    build.onLoad({ filter: /[\\/]cdkt[fn][\\/]lib[\\/]tokens[\\/]private[\\/]stack-trace\.js$/ }, () => ({
      contents: `"use strict"; Object.defineProperty(exports, "__esModule", { value: true }); exports.captureStackTrace = function captureStackTrace() { return []; };`,
      loader: "js",
    }));
  },
};

export async function buildBundle() {
  const { build } = await import("esbuild");
  await build({
    entryPoints: [path.join(ROOT, "main.ts")],
    outfile: BUNDLE,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    logLevel: "warning",
    legalComments: "none",
    keepNames: false,
    plugins: [skipTokenStackTraces],
  });
}

/** Returns the bundle's path, building it first if a source changed. */
export async function ensureBundle() {
  if (bundleIsStale()) await buildBundle();
  return BUNDLE;
}
