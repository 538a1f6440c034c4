import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface FakeStack {
  readonly dependencies?: readonly string[];
  /** The stack's cdk.tf.json; default: an S3 backend in eu-west-1 and nothing else. */
  readonly json?: Record<string, any>;
}

/** An S3 backend block as the stacks synthesize it. */
export function s3Backend(region = "eu-west-1"): Record<string, any> {
  return { terraform: { backend: { s3: { bucket: "state", key: "k", region, encrypt: true, dynamodb_table: "lock", use_lockfile: true } } } };
}

export const localBackend = { terraform: { backend: { local: { path: "terraform.tfstate" } } } };

/**
 * Writes a cdktf output folder (manifest.json and stacks/<id>/cdk.tf.json,
 * laid out like `cdktf synth`'s) into a temporary folder and returns its path.
 */
export function writeSynthDir(stacks: Record<string, FakeStack>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "upskill-fake-synth-"));
  const manifest: Record<string, any> = { version: "0.21.0", stacks: {} };
  for (const [id, stack] of Object.entries(stacks)) {
    fs.mkdirSync(path.join(dir, "stacks", id), { recursive: true });
    fs.writeFileSync(path.join(dir, "stacks", id, "cdk.tf.json"), JSON.stringify(stack.json ?? s3Backend(), null, 2));
    manifest.stacks[id] = {
      annotations: [],
      constructPath: id,
      dependencies: stack.dependencies ?? [],
      name: id,
      stackMetadataPath: `stacks/${id}/metadata.json`,
      synthesizedStackPath: `stacks/${id}/cdk.tf.json`,
      workingDirectory: `stacks/${id}`,
    };
  }
  fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest, null, 2));
  return dir;
}
