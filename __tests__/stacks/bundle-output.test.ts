import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App } from "cdktf";
import { buildEnvironment } from "../../stacks/environment";
import { shippedEnvironment } from "../support/fixtures";

/**
 * The app command runs an esbuild bundle that skips cdktf's token stack traces
 * (scripts/bundle.mjs). The jest global setup synthesized the app that way; here
 * the same environment is synthesized from the sources with cdktf unchanged, and
 * every file must be the same.
 */
describe("the bundled app", () => {
  const bundled = process.env.UPSKILL_TEST_SYNTH_DIR!;

  test("writes the same Terraform JSON as the unbundled sources", () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "upskill-source-synth-"));
    const app = new App({ outdir });
    buildEnvironment(app, shippedEnvironment("prod"));
    app.synth();
    const fromSource = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
    const fromBundle = JSON.parse(fs.readFileSync(path.join(bundled, "manifest.json"), "utf8"));
    const ids = Object.keys(fromSource.stacks);
    expect(ids.length).toBeGreaterThanOrEqual(8);
    for (const id of ids) {
      expect(fromBundle.stacks[id]).toEqual(fromSource.stacks[id]);
      const file = fromSource.stacks[id].synthesizedStackPath;
      expect(fs.readFileSync(path.join(bundled, file), "utf8")).toBe(fs.readFileSync(path.join(outdir, file), "utf8"));
    }
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test("replaces cdktf's token stack traces (a cdktf upgrade that moves that file would lose ~30% of the speed)", () => {
    const bundle = fs.readFileSync(path.join(__dirname, "..", "..", ".build", "main.js"), "utf8");
    const start = bundle.indexOf("node_modules/cdktf/lib/tokens/private/stack-trace.js");
    expect(start).toBeGreaterThan(-1);
    const body = bundle.slice(start, bundle.indexOf("\n});", start));
    expect(body).toMatch(/captureStackTrace = function \w+\(\) \{\s*return \[\];\s*\}/);
    expect(body).not.toContain("Error.captureStackTrace");
  });
});
