// Rebuilds the app bundle unconditionally (`npm run build:app`).
import { buildBundle, BUNDLE } from "./bundle.mjs";

await buildBundle();
console.log(`built ${BUNDLE}`);
