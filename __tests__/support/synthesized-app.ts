import { loadSynthApp, type SynthApp, type SynthResource } from "../../tools/synth/app";

export type { SynthResource };

/** The synthesized app (tools/synth/app.ts's view) plus a lookup by type. */
export interface SynthesizedApp extends SynthApp {
  /** Resources of one type, across every stack. */
  ofType(type: string): SynthResource[];
}

let loaded: SynthesizedApp | undefined;

/**
 * The whole app as `npm run synth` writes it for the shipped environments,
 * synthesized once by the jest global setup.
 */
export function synthesizedApp(): SynthesizedApp {
  if (loaded) return loaded;
  const dir = process.env.UPSKILL_TEST_SYNTH_DIR;
  if (!dir) throw new Error("UPSKILL_TEST_SYNTH_DIR is not set: run the tests through jest (global setup synthesizes the app)");
  const app = loadSynthApp(dir);
  loaded = {
    ...app,
    ofType: (type) => app.resources.filter((r) => r.type === type),
  };
  return loaded;
}

/** The stack ids of one environment. */
export function stacksOf(app: SynthesizedApp, environment: string): string[] {
  return [...app.stacks.keys()].filter((id) => id.startsWith(`${environment}-`));
}
