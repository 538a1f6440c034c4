import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { launcherScript, startProviderDaemon } from "../schema-provider/daemon";
import { protocolDescriptor } from "../schema-provider/descriptor";
import { loadProviderSchema, PROVIDER_BINDINGS, subsetSchema } from "../schema-provider/store";
import type { ProviderSchema } from "../schema-provider/schema";
import type { ManifestStack } from "../synth/manifest";
import { indexConstructs, type ConstructIndex } from "./constructs";
import { copyAssets } from "./helm-charts";

/**
 * The rehearsal's own folder: copies of the stacks (never cdktf.out/ itself),
 * the schema-only providers in a filesystem mirror, and a CLI configuration
 * that Terraform reads instead of the user's ~/.terraformrc.
 */
export interface Workspace {
  readonly dir: string;
  /** Environment for every terraform command of the rehearsal. */
  readonly env: NodeJS.ProcessEnv;
  /** Stops the provider daemon, if any (the folder stays). */
  close(): Promise<void>;
}

export class RehearsalSetupError extends Error {}

const ROOT = path.resolve(__dirname, "..", "..");
const PROVIDER_BUNDLE = path.join(ROOT, ".build", "schema-provider.js");
const PROTOCOL_DESCRIPTOR = path.join(ROOT, ".build", "schema-provider.descriptor.json");
const PROVIDER_SOURCES = path.join(ROOT, "tools", "schema-provider");

function newestSource(dir: string): number {
  const files = [...fs.readdirSync(dir).filter((f) => f.endsWith(".ts")).map((f) => path.join(dir, f)), ...fs.readdirSync(path.join(dir, "proto")).map((f) => path.join(dir, "proto", f))];
  return Math.max(...files.map((f) => fs.statSync(f).mtimeMs));
}

let bundling: Promise<string> | undefined;

/** The provider as one bundled file run by plain node: Terraform starts it several times per stack. */
export function ensureProviderBundle(): Promise<string> {
  bundling ??= buildProviderBundle();
  return bundling;
}

async function buildProviderBundle(): Promise<string> {
  const stale = [PROVIDER_BUNDLE, PROTOCOL_DESCRIPTOR].some((f) => !fs.existsSync(f) || fs.statSync(f).mtimeMs < newestSource(PROVIDER_SOURCES));
  if (stale) {
    fs.mkdirSync(path.dirname(PROVIDER_BUNDLE), { recursive: true });
    const descriptorTmp = `${PROTOCOL_DESCRIPTOR}.${process.pid}`;
    fs.writeFileSync(descriptorTmp, JSON.stringify(protocolDescriptor()));
    fs.renameSync(descriptorTmp, PROTOCOL_DESCRIPTOR);
    const { build } = await import("esbuild");
    const tmp = `${PROVIDER_BUNDLE}.${process.pid}.js`;
    await build({ entryPoints: [path.join(PROVIDER_SOURCES, "server.ts")], outfile: tmp, bundle: true, platform: "node", format: "cjs", target: "node20", logLevel: "warning", legalComments: "none", minify: true });
    fs.renameSync(tmp, PROVIDER_BUNDLE);
  }
  return PROVIDER_BUNDLE;
}

/** The certificate the providers present in go-plugin's AutoMTLS handshake; made once per rehearsal. */
function writeCertificate(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  try {
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", path.join(dir, "server.key"), "-out", path.join(dir, "server.crt"), "-days", "2", "-subj", "/O=HashiCorp/CN=localhost",
        "-addext", "subjectAltName=DNS:localhost", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign", "-addext", "extendedKeyUsage=serverAuth,clientAuth"],
      { stdio: "pipe" },
    );
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === "ENOENT";
    throw new RehearsalSetupError(missing ? "openssl is not on PATH: the schema-only providers need it for Terraform's plugin TLS (apt-get install openssl)" : `openssl failed: ${String((e as { stderr?: Buffer }).stderr ?? e)}`);
  }
}

/**
 * How Terraform's plugin launches reach a provider: "daemon" (default), a
 * launcher script per provider that reaches instances hosted in this process
 * (schema-provider/daemon.ts); "process", one Node process per launch
 * (schema-provider/server.ts), slower by about 0.25 s of CPU per launch.
 */
export type PluginMode = "daemon" | "process";

export interface WorkspaceOptions {
  readonly providerVersions: Readonly<Record<string, string>>;
  readonly plugins?: PluginMode;
  /** Where the rehearsal works; a fresh temporary folder by default. */
  readonly dir?: string;
}

/** Sets up the mirror (one script per provider version the stacks require) and the CLI config. */
export async function createWorkspace(options: WorkspaceOptions): Promise<Workspace> {
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "upskill-rehearsal-"));
  const tlsDir = path.join(dir, "tls");
  writeCertificate(tlsDir);
  const mode = options.plugins ?? "daemon";
  const daemon = mode === "daemon" ? await startProviderDaemon({ tlsDir }) : undefined;
  const bundle = mode === "process" ? await ensureProviderBundle() : "";
  const mirror = path.join(dir, "mirror");
  for (const [name, version] of Object.entries(options.providerVersions)) {
    const target = path.join(mirror, "registry.terraform.io", "hashicorp", name, version, "linux_amd64");
    fs.mkdirSync(target, { recursive: true });
    const script = daemon ? launcherScript(name, daemon.port) : `#!/bin/sh\nexec "${process.execPath}" "${bundle}" ${name}\n`;
    fs.writeFileSync(path.join(target, `terraform-provider-${name}_v${version}`), script, { mode: 0o755 });
  }
  const cliConfig = path.join(dir, "terraform.rc");
  fs.writeFileSync(cliConfig, `provider_installation {\n  filesystem_mirror {\n    path    = "${mirror}"\n    include = ["registry.terraform.io/hashicorp/*"]\n  }\n}\n`);
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith("TF_") || k.startsWith("AWS_")) delete env[k];
  Object.assign(env, {
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
    UPSKILL_REHEARSAL_TLS_DIR: tlsDir,
    // Read by the one-process server only; the daemon holds the protocol itself.
    ...(mode === "process" ? { UPSKILL_REHEARSAL_DESCRIPTOR: PROTOCOL_DESCRIPTOR } : {}),
  });
  return { dir, env, close: async () => daemon?.close() };
}

/** A stack copied for the rehearsal. */
export interface PreparedStack {
  readonly id: string;
  readonly dir: string;
  readonly stateFile: string;
  /** The JSON as written (local backend, remote state from the earlier stacks' local state). */
  readonly json: any;
  readonly constructs: ConstructIndex;
  /** Environment of this stack's terraform commands (its schema subset). */
  readonly env: NodeJS.ProcessEnv;
}

/** The provider type (`aws`) of a required_providers entry: the last part of its source, or its local name. */
const providerType = (local: string, p: { source?: string }) => String(p.source ?? local).split("/").pop()!;

/** The provider (local name → registry type) of each resource or data type a stack declares. */
function typesByProvider(json: any): Map<string, { resources: Set<string>; data: Set<string> }> {
  const required: Record<string, { source?: string }> = json.terraform?.required_providers ?? {};
  const localToType = new Map(Object.entries(required).map(([local, p]) => [local, providerType(local, p)]));
  const out = new Map<string, { resources: Set<string>; data: Set<string> }>();
  const add = (kind: "resources" | "data", type: string, block: Record<string, any>) => {
    for (const instance of Object.values(block)) {
      const local = typeof instance?.provider === "string" ? instance.provider.split(".")[0] : type.split("_")[0];
      const provider = localToType.get(local) ?? local;
      if (!out.has(provider)) out.set(provider, { resources: new Set(), data: new Set() });
      out.get(provider)![kind].add(type);
    }
  };
  for (const [type, block] of Object.entries<any>(json.resource ?? {})) add("resources", type, block);
  for (const [type, block] of Object.entries<any>(json.data ?? {})) if (type !== "terraform_remote_state") add("data", type, block);
  return out;
}

/** The provider versions every stack requires (each must be served by the mirror). */
export function requiredProviderVersions(jsons: readonly any[]): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const json of jsons) {
    for (const [local, p] of Object.entries<any>(json.terraform?.required_providers ?? {})) {
      const name = providerType(local, p);
      const version = String(p.version ?? "");
      if (!/^\d+\.\d+\.\d+$/.test(version)) throw new RehearsalSetupError(`provider ${name} is required as "${version}": the rehearsal serves exact versions only (the bindings' own)`);
      if (versions[name] && versions[name] !== version) throw new RehearsalSetupError(`provider ${name} is required at both ${versions[name]} and ${version}`);
      versions[name] = version;
    }
  }
  return versions;
}

/** Where each stack's state lives in the real backend (bucket/key), so remote state can be rewired. */
export function backendAddress(config: any): string | undefined {
  return config && typeof config.bucket === "string" && typeof config.key === "string" ? `${config.bucket}/${config.key}` : undefined;
}

export class SchemaCache {
  private readonly schemas = new Map<string, ProviderSchema>();
  constructor(private readonly root: string = ROOT) {}

  get(provider: string): ProviderSchema {
    let s = this.schemas.get(provider);
    if (!s) {
      s = loadProviderSchema(provider, this.root);
      this.schemas.set(provider, s);
    }
    return s;
  }

  /** Fails early, with what to do, when a required provider has no bindings or another version. */
  check(versions: Readonly<Record<string, string>>): void {
    for (const [name, version] of Object.entries(versions)) {
      if (!PROVIDER_BINDINGS[name]) throw new RehearsalSetupError(`provider ${name} ${version} is required by a stack but has no schema-only provider (known: ${Object.keys(PROVIDER_BINDINGS).join(", ")})`);
      const schema = this.get(name);
      if (schema.version !== version) throw new RehearsalSetupError(`provider ${name}: the stacks require ${version} but the installed bindings ${schema.bindings} are for ${schema.version}; run \`npm install\``);
    }
  }
}

/**
 * Copies one stack: the S3 backend becomes a local one, and each
 * terraform_remote_state reads the local state of the stack that writes
 * that bucket/key in the real backend.
 */
export function prepareStack(ws: Workspace, stack: ManifestStack, json: any, statesByAddress: ReadonlyMap<string, string>, schemas: SchemaCache): PreparedStack {
  const dir = path.join(ws.dir, "stacks", stack.id);
  fs.mkdirSync(dir, { recursive: true });
  const copy = structuredClone(json);
  copy.terraform = { ...(copy.terraform ?? {}), backend: { local: { path: "terraform.tfstate" } } };
  const remote = copy.data?.terraform_remote_state ?? {};
  for (const [name, ds] of Object.entries<any>(remote)) {
    const address = backendAddress(ds.config);
    const upstream = address ? statesByAddress.get(address) : undefined;
    if (!upstream) throw new RehearsalSetupError(`${stack.id}: data.terraform_remote_state.${name} reads ${address ?? JSON.stringify(ds.config)}, which no stack in the manifest writes`);
    remote[name] = { ...ds, backend: "local", config: { path: upstream } };
  }
  const text = `${JSON.stringify(copy, null, 2)}\n`;
  fs.writeFileSync(path.join(dir, "cdk.tf.json"), text);
  // What the stack references by relative path (charts of local Helm releases) comes along.
  copyAssets(stack.workingDirectory, dir);
  const schemaDir = path.join(dir, ".schemas");
  fs.mkdirSync(schemaDir, { recursive: true });
  const used = typesByProvider(copy);
  for (const provider of Object.keys(requiredProviderVersions([copy]))) {
    const types = used.get(provider) ?? { resources: new Set<string>(), data: new Set<string>() };
    fs.writeFileSync(path.join(schemaDir, `${provider}.json`), JSON.stringify(subsetSchema(schemas.get(provider), types)));
  }
  return {
    id: stack.id,
    dir,
    stateFile: path.join(dir, "terraform.tfstate"),
    json: copy,
    constructs: indexConstructs(copy, text),
    env: { ...ws.env, UPSKILL_REHEARSAL_SCHEMA_DIR: schemaDir },
  };
}
