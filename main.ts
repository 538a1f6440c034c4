import * as path from "node:path";
import { App } from "cdktf";
import { ConfigError, loadEnvironments, parseEnvironmentList } from "./config/load";
import { buildEnvironment } from "./stacks/environment";

/**
 * Entry point: validates every selected environment before anything is
 * written, then synthesizes all layers of each. Exits 1 with one line per
 * configuration problem.
 */
function main(): void {
  const configDir = process.env.UPSKILL_CONFIG_DIR || path.join(process.cwd(), "config");
  let environments;
  try {
    environments = loadEnvironments({ dir: configDir, only: parseEnvironmentList(process.env.UPSKILL_ENVIRONMENTS) });
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const app = new App();
  for (const environment of environments) buildEnvironment(app, environment);
  app.synth();
}

main();
