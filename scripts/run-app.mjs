// The app command of cdktf.json: runs the prebuilt bundle (rebuilt when a source
// changed). `cdktf synth` and `npm run synth` both go through here.
//
// The bundle is compiled through vm.Script with a V8 code cache kept beside it
// (.build/main.js.v8cache, written after the first run so it also holds the
// functions that run compiled lazily): it saves most of the 6 MB bundle's
// parse and compile time. V8 rejects a cache that does not match the source,
// and a rejected or missing cache is simply rewritten.
import * as fs from "node:fs";
import Module, { createRequire } from "node:module";
import * as path from "node:path";
import * as vm from "node:vm";
import { ensureBundle } from "./bundle.mjs";

const bundle = await ensureBundle();
runWithCodeCache(bundle);

function runWithCodeCache(file) {
  const cacheFile = `${file}.v8cache`;
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, "utf8")), { filename: file, cachedData });
  const mod = new Module(file);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  const require = createRequire(file);
  // Written once the app has synthesized (or failed): process exit is the last moment.
  if (!cachedData || script.cachedDataRejected) {
    process.once("exit", () => {
      try {
        const tmp = `${cacheFile}.${process.pid}`;
        fs.writeFileSync(tmp, script.createCachedData());
        fs.renameSync(tmp, cacheFile);
      } catch {
        // A cache is an optimization: never fail the synthesis over it.
      }
    });
  }
  script.runInThisContext().call(mod.exports, mod.exports, require, mod, file, path.dirname(file));
}
