/** Command-line options shared by the CI tools (tools/ci/*.ts). */

/** The synthesized manifest CI tools read unless `--manifest <file>` says otherwise. */
export const DEFAULT_MANIFEST = "cdktf.out/manifest.json";

/** The value after `name` in `args`, undefined without it. */
export function optionValue(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Takes `--manifest <file>` out of `args` (in place) and returns the file, DEFAULT_MANIFEST without it. */
export function takeManifestOption(args: string[]): string {
  const m = args.indexOf("--manifest");
  if (m < 0) return DEFAULT_MANIFEST;
  const [, file] = args.splice(m, 2);
  return file ?? "";
}
