// The app command of cdktf.json: runs the prebuilt bundle (rebuilt when a source
// changed). `cdktf synth` and `npm run synth` both go through here.
import { createRequire } from "node:module";
import { ensureBundle } from "./bundle.mjs";

const bundle = await ensureBundle();
createRequire(import.meta.url)(bundle);
