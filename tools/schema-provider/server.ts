/**
 * A schema-only Terraform provider: speaks tfplugin6 over go-plugin's gRPC
 * transport and serves the schema rebuilt from the cdktf bindings, so that
 * Terraform core validates, plans and applies a stack with no provider binary
 * and no cloud. Started by Terraform through the filesystem mirror that
 * `tools/rehearse/workspace.ts` writes; never run by hand.
 *
 * Environment (set by the rehearsal on every terraform command):
 * - UPSKILL_REHEARSAL_SCHEMA_DIR: folder with `<provider>.json`, the schema
 *   subset of the types this stack uses (serving only those keeps start-up short);
 * - UPSKILL_REHEARSAL_TLS_DIR: server.crt and server.key for go-plugin's AutoMTLS;
 * - UPSKILL_REHEARSAL_DESCRIPTOR: the protocol's JSON descriptor (protocol.ts);
 * - PLUGIN_CLIENT_CERT (set by Terraform): the client certificate to trust;
 * - UPSKILL_REHEARSAL_LOG (optional): folder for a per-process call log.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as crypto from "node:crypto";
import * as grpc from "@grpc/grpc-js";
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION, type FakeContext } from "./fakes";
import { APPLY_HOOKS, DATA_HOOKS, PLAN_HOOKS } from "./provider-knowledge";
import { rootFromDescriptor, serviceDefinition } from "./protocol";
import type { Attribute, Block, ProviderSchema } from "./schema";
import { decodeValue, encodeValue, fillUnknowns, markUnknown, objectValue, seedOf, type Value } from "./values";

const providerName = process.argv[2] ?? "";
const logDir = process.env.UPSKILL_REHEARSAL_LOG ?? "";

function log(...parts: unknown[]): void {
  if (!logDir) return;
  const line = `${new Date().toISOString()} ${parts.map((p) => (typeof p === "string" ? p : JSON.stringify(p))).join(" ")}\n`;
  fs.appendFileSync(path.join(logDir, `provider-${providerName}-${process.pid}.log`), line);
}

function fail(message: string): never {
  // go-plugin shows the plugin's stderr when the handshake fails.
  process.stderr.write(`schema-only provider ${providerName}: ${message}\n`);
  process.exit(1);
}

function loadSchema(): ProviderSchema {
  const dir = process.env.UPSKILL_REHEARSAL_SCHEMA_DIR;
  if (!dir) fail("UPSKILL_REHEARSAL_SCHEMA_DIR is not set: this provider is started by `npm run rehearse`");
  const file = path.join(dir, `${providerName}.json`);
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as ProviderSchema;
  } catch (e) {
    return fail(`cannot read ${file}: ${(e as Error).message}`);
  }
}

const schema = loadSchema();
const settings = { region: DEFAULT_REGION, accountId: DEFAULT_ACCOUNT_ID };

// ---- schema in protocol form ----
const typeBytes = (t: unknown) => Buffer.from(JSON.stringify(t));
function protoAttribute(a: Attribute): Record<string, unknown> {
  const o: Record<string, unknown> = { name: a.name, required: !!a.required, optional: !!a.optional, computed: !!a.computed, sensitive: false, description: "" };
  if (a.nested_type) o.nested_type = { nesting: a.nested_type.nesting, attributes: a.nested_type.attributes.map(protoAttribute) };
  else o.type = typeBytes(a.type ?? "dynamic");
  return o;
}
function protoBlock(b: Block): Record<string, unknown> {
  return {
    version: 0,
    attributes: b.attributes.map(protoAttribute),
    block_types: b.block_types.map((bt) => ({ type_name: bt.type_name, nesting: bt.nesting, min_items: bt.min_items, max_items: bt.max_items, block: protoBlock(bt.block) })),
    description: "",
  };
}
const capabilities = { plan_destroy: false, get_provider_schema_optional: true, move_resource_state: false };
function providerSchemaResponse(): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  const data: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema.resources)) resources[k] = { version: 0, block: protoBlock(v) };
  for (const [k, v] of Object.entries(schema.data)) data[k] = { version: 0, block: protoBlock(v) };
  return {
    provider: { version: 0, block: protoBlock(schema.provider) },
    resource_schemas: resources,
    data_source_schemas: data,
    functions: {},
    ephemeral_resource_schemas: {},
    diagnostics: [],
    server_capabilities: capabilities,
  };
}

function blockOf(kind: "resources" | "data", type: string): Block {
  const b = schema[kind][type];
  if (!b) throw new Error(`${kind === "data" ? "data source" : "resource type"} ${type} is not in the served schema`);
  return b;
}

/** The object's own name, for ARNs and ids that read like the real ones. */
function nameOf(v: Value): string | undefined {
  const o = objectValue(v);
  if (!o) return undefined;
  for (const k of ["name", "bucket", "cluster_name", "role_name", "function_name", "repository_name", "table_name", "identifier", "replication_group_id", "user_name"]) {
    if (typeof o[k] === "string" && o[k]) return o[k] as string;
  }
  return undefined;
}

function contextFor(type: string, v: Value): FakeContext {
  return { type, seed: seedOf(v), region: settings.region, accountId: settings.accountId, name: nameOf(v) };
}

const noDiagnostics = { diagnostics: [] };
type Handler = (request: any) => Record<string, unknown>;
const handlers: Record<string, Handler> = {
  GetMetadata: () => ({
    server_capabilities: capabilities,
    diagnostics: [],
    resources: Object.keys(schema.resources).map((type_name) => ({ type_name })),
    data_sources: Object.keys(schema.data).map((type_name) => ({ type_name })),
    functions: [],
    ephemeral_resources: [],
  }),
  GetProviderSchema: providerSchemaResponse,
  ValidateProviderConfig: () => noDiagnostics,
  ValidateResourceConfig: () => noDiagnostics,
  ValidateDataResourceConfig: () => noDiagnostics,
  ValidateEphemeralResourceConfig: () => noDiagnostics,
  ConfigureProvider: (r) => {
    const config = objectValue(decodeValue(r.config));
    if (config && typeof config.region === "string") settings.region = config.region;
    const accounts = config?.allowed_account_ids;
    if (Array.isArray(accounts) && typeof accounts[0] === "string") settings.accountId = accounts[0];
    return noDiagnostics;
  },
  // No state versions to migrate: the stored JSON is the current shape.
  UpgradeResourceState: (r) => ({ upgraded_state: { json: r.raw_state?.json?.length ? r.raw_state.json : Buffer.from("null") }, diagnostics: [] }),
  // Nothing changes outside Terraform: a refresh returns the state as it is.
  ReadResource: (r) => ({ new_state: r.current_state, private: r.private, diagnostics: [] }),
  PlanResourceChange: (r) => {
    const proposed = decodeValue(r.proposed_new_state);
    if (proposed === null) return { planned_state: encodeValue(null), diagnostics: [] };
    const planned = markUnknown(proposed, blockOf("resources", r.type_name));
    const hook = PLAN_HOOKS[r.type_name];
    const p = objectValue(planned);
    if (hook && p) hook(p, objectValue(decodeValue(r.prior_state)));
    return { planned_state: encodeValue(planned), planned_private: r.prior_private, requires_replace: [], diagnostics: [] };
  },
  ApplyResourceChange: (r) => {
    const planned = decodeValue(r.planned_state);
    if (planned === null) return { new_state: encodeValue(null), diagnostics: [] };
    const ctx = contextFor(r.type_name, planned);
    const state = fillUnknowns(planned, blockOf("resources", r.type_name), ctx, false);
    const s = objectValue(state);
    if (APPLY_HOOKS[r.type_name] && s) APPLY_HOOKS[r.type_name](s, ctx);
    return { new_state: encodeValue(state), private: r.planned_private, diagnostics: [] };
  },
  ReadDataSource: (r) => {
    const config = decodeValue(r.config);
    const ctx = contextFor(r.type_name, config);
    const state = fillUnknowns(config, blockOf("data", r.type_name), ctx, true);
    const s = objectValue(state);
    if (DATA_HOOKS[r.type_name] && s) DATA_HOOKS[r.type_name](s, ctx);
    return { state: encodeValue(state), diagnostics: [] };
  },
  ImportResourceState: () => ({ imported_resources: [], diagnostics: [{ severity: "ERROR", summary: "The schema-only provider cannot import: there is no cloud to read from" }] }),
  MoveResourceState: () => ({ diagnostics: [{ severity: "ERROR", summary: "The schema-only provider cannot move state across resource types" }] }),
  OpenEphemeralResource: () => ({ diagnostics: [{ severity: "ERROR", summary: "The schema-only provider has no ephemeral resources" }] }),
  RenewEphemeralResource: () => noDiagnostics,
  CloseEphemeralResource: () => noDiagnostics,
  GetFunctions: () => ({ functions: {}, diagnostics: [] }),
  CallFunction: () => ({ error: { text: "The schema-only provider has no functions" } }),
  StopProvider: () => ({ Error: "" }),
};

function unary(name: string, fn: Handler): grpc.handleUnaryCall<any, any> {
  return (call, callback) => {
    try {
      log("call", name, call.request?.type_name ?? "");
      callback(null, fn(call.request));
    } catch (e) {
      log("error", name, String((e as Error).stack ?? e));
      callback(null, { diagnostics: [{ severity: "ERROR", summary: `schema-only provider ${providerName}: ${name} failed`, detail: String((e as Error).message ?? e) }] });
    }
  };
}

function loadProtocol() {
  const file = process.env.UPSKILL_REHEARSAL_DESCRIPTOR;
  if (!file) fail("UPSKILL_REHEARSAL_DESCRIPTOR is not set: this provider is started by `npm run rehearse`");
  return rootFromDescriptor(JSON.parse(fs.readFileSync(file, "utf8")));
}
const protocol = loadProtocol();
const server = new grpc.Server({ "grpc.max_send_message_length": -1, "grpc.max_receive_message_length": -1 });
server.addService(serviceDefinition(protocol, "tfplugin6.Provider"), Object.fromEntries(Object.entries(handlers).map(([n, fn]) => [n, unary(n, fn)])));
server.addService(serviceDefinition(protocol, "plugin.GRPCController"), {
  Shutdown: (_call: unknown, callback: grpc.sendUnaryData<object>) => {
    callback(null, {});
    setTimeout(() => process.exit(0), 20);
  },
});
server.addService(serviceDefinition(protocol, "grpc.health.v1.Health"), {
  Check: (_call: unknown, callback: grpc.sendUnaryData<object>) => callback(null, { status: "SERVING" }),
});

function credentials(): { creds: grpc.ServerCredentials; certificate: string } {
  const clientCert = process.env.PLUGIN_CLIENT_CERT;
  if (!clientCert) return { creds: grpc.ServerCredentials.createInsecure(), certificate: "" };
  const tlsDir = process.env.UPSKILL_REHEARSAL_TLS_DIR;
  if (!tlsDir) fail("UPSKILL_REHEARSAL_TLS_DIR is not set: this provider is started by `npm run rehearse`");
  const key = fs.readFileSync(path.join(tlsDir, "server.key"));
  const cert = fs.readFileSync(path.join(tlsDir, "server.crt"));
  // go-plugin's handshake carries the server certificate as unpadded base64 DER.
  const der = new crypto.X509Certificate(cert).raw.toString("base64").replace(/=+$/, "");
  return { creds: grpc.ServerCredentials.createSsl(Buffer.from(clientCert), [{ private_key: key, cert_chain: cert }], true), certificate: der };
}

const { creds, certificate } = credentials();
server.bindAsync("127.0.0.1:0", creds, (err, port) => {
  if (err) fail(`cannot listen: ${err.message}`);
  log("listening", port);
  // go-plugin handshake: core protocol 1, plugin protocol 6, network, address, protocol, certificate.
  process.stdout.write(`1|6|tcp|127.0.0.1:${port}|grpc${certificate ? `|${certificate}` : ""}\n`);
});
// Terraform sends SIGINT on Ctrl-C and then stops the provider through StopProvider/Shutdown.
process.on("SIGINT", () => undefined);
