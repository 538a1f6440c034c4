import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { extractSchema } from "./extract";
import type { ProviderSchema } from "./schema";

/** The providers the app uses, each with the bindings package its schema is rebuilt from. */
export const PROVIDER_BINDINGS: Readonly<Record<string, string>> = {
  aws: "@cdktf/provider-aws",
  kubernetes: "@cdktf/provider-kubernetes",
  helm: "@cdktf/provider-helm",
};

/** Sources of the extraction: a change to either invalidates every cached schema. */
const EXTRACTOR_SOURCES = ["extract.ts", "schema.ts"];

export class MissingBindingsError extends Error {}

/** The folder of the installed bindings package, or a message that says how to install it. */
export function bindingsDir(provider: string, root: string): string {
  const pkg = PROVIDER_BINDINGS[provider];
  if (!pkg) throw new MissingBindingsError(`provider "${provider}" has no schema-only provider: add its @cdktf/provider-* package to PROVIDER_BINDINGS in tools/schema-provider/store.ts`);
  const dir = path.join(root, "node_modules", pkg);
  if (!fs.existsSync(path.join(dir, "package.json"))) throw new MissingBindingsError(`provider "${provider}": its bindings ${pkg} are not installed in ${path.join(root, "node_modules")}; run \`npm install\``);
  return dir;
}

function extractorHash(): string {
  const h = createHash("sha256");
  for (const f of EXTRACTOR_SOURCES) h.update(fs.readFileSync(path.join(__dirname, f)));
  return h.digest("hex").slice(0, 12);
}

/**
 * The provider's schema, extracted once per bindings version (a few seconds
 * for aws) and cached under node_modules/.cache, which a fresh install clears.
 */
export function loadProviderSchema(provider: string, root: string, cacheDir = path.join(root, "node_modules", ".cache", "upskill-rehearse")): ProviderSchema {
  const dir = bindingsDir(provider, root);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  const file = path.join(cacheDir, `${provider}-${pkg.version}-${extractorHash()}.json`);
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8")) as ProviderSchema;
  const { schema } = extractSchema(dir);
  fs.mkdirSync(cacheDir, { recursive: true });
  const tmp = `${file}.${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(schema));
  fs.renameSync(tmp, file);
  return schema;
}

export interface TypesUsed {
  readonly resources: ReadonlySet<string>;
  readonly data: ReadonlySet<string>;
}

/**
 * The schema cut to the types a stack uses: Terraform loads the whole schema
 * of every provider in each command (1.7 MB for aws), most of the time a
 * stack takes otherwise. A type the stack uses but the provider lacks is left
 * out, so Terraform itself reports it as unsupported.
 */
export function subsetSchema(schema: ProviderSchema, used: TypesUsed): ProviderSchema {
  const pick = (all: Record<string, unknown>, names: ReadonlySet<string>) => Object.fromEntries([...names].filter((n) => n in all).sort().map((n) => [n, all[n]]));
  return { ...schema, resources: pick(schema.resources, used.resources) as ProviderSchema["resources"], data: pick(schema.data, used.data) as ProviderSchema["data"] };
}
