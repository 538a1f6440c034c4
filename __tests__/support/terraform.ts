import * as path from "node:path";
import { checkTerraformVersion } from "../../tools/rehearse/terraform";

const ROOT = path.resolve(__dirname, "..", "..");

/**
 * `describe` for tests that run Terraform core. Where Terraform is missing
 * (or older than .terraform-version) they fail under CI=true and are skipped
 * with one loud line on a developer's machine, as the rehearsal in npm test is.
 */
export function describeWithTerraform(name: string, body: () => void): void {
  const tf = checkTerraformVersion(ROOT);
  if (tf.ok) return describe(name, body);
  const why = tf.found ? `terraform ${tf.found} is older than ${tf.required}` : "terraform is not on PATH";
  if (process.env.CI === "true") {
    describe(name, () => test("needs Terraform", () => {
      throw new Error(`${why}: install Terraform ${tf.required} (tfenv install / tfswitch read .terraform-version)`);
    }));
    return;
  }
  console.warn(`!!!!!! SKIPPED "${name}": ${why}; install Terraform ${tf.required} to run it !!!!!!`);
  describe.skip(name, body);
}
