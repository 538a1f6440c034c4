import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../support/fixtures";

/** Every TypeScript source of the repository, tests included. */
function sources(dir = REPO_ROOT): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (["node_modules", "cdktf.out", ".build", ".git"].includes(e.name) || e.name.startsWith("cdktf.out.")) return [];
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith(".ts") || e.name.endsWith(".mjs") ? [p] : [];
  });
}

// The root of a provider package loads all of its ~1,500 classes (10 s, 1.5 GB).
const ROOT_IMPORT = /(from\s+|require\(\s*|import\(\s*)["']@cdktf\/provider-(aws|kubernetes|helm)["']/;

describe("imports", () => {
  const files = sources();

  test("the scan sees the project's sources", () => {
    expect(files.some((f) => f.endsWith("main.ts"))).toBe(true);
    expect(files.some((f) => f.includes(`${path.sep}stacks${path.sep}`))).toBe(true);
  });

  test("provider classes come from their deep path, never from a package root", () => {
    const offenders = files.flatMap((f) =>
      fs
        .readFileSync(f, "utf8")
        .split("\n")
        .map((line, i) => [line, i] as const)
        .filter(([line]) => ROOT_IMPORT.test(line))
        .map(([line, i]) => `${path.relative(REPO_ROOT, f)}:${i + 1}: ${line.trim()}`),
    );
    expect(offenders).toEqual([]);
  });

  test("the guard recognizes a root import", () => {
    const pkg = ["@cdktf", "provider-aws"].join("/"); // split so this file does not trip the scan
    expect(ROOT_IMPORT.test(`import { Vpc } from "${pkg}";`)).toBe(true);
    expect(ROOT_IMPORT.test(`import { Vpc } from "@cdktf/provider-aws/lib/vpc";`)).toBe(false);
  });

  test("modules never import stacks, config or the entry point", () => {
    const offenders = files
      .filter((f) => f.startsWith(path.join(REPO_ROOT, "modules") + path.sep))
      .filter((f) => /from\s+["'](\.\.\/)+(stacks|config|main)(\/|["'])/.test(fs.readFileSync(f, "utf8")))
      .map((f) => path.relative(REPO_ROOT, f));
    expect(offenders).toEqual([]);
  });
});
