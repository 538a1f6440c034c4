import * as crypto from "node:crypto";
import * as grpc from "@grpc/grpc-js";
import type * as protobuf from "protobufjs/light";
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION, type FakeContext } from "./fakes";
import { APPLY_HOOKS, DATA_HOOKS, PLAN_HOOKS } from "./provider-knowledge";
import { serviceDefinition } from "./protocol";
import type { Attribute, Block, ProviderSchema } from "./schema";
import { decodeValue, encodeValue, fillUnknowns, markUnknown, objectValue, seedOf, type Value } from "./values";

/**
 * One schema-only provider instance: the tfplugin6 Provider service over the
 * given schema, go-plugin's controller and health services, on a loopback
 * port with go-plugin's AutoMTLS. `server.ts` runs one per process (what
 * Terraform starts by default); `daemon.ts` hosts many in one process.
 */
export interface PluginServerOptions {
  readonly name: string;
  readonly schema: ProviderSchema;
  readonly protocol: protobuf.Root;
  /** Terraform's client certificate (PLUGIN_CLIENT_CERT); absent: plain TCP. */
  readonly clientCert?: string;
  readonly tls?: { readonly key: Buffer; readonly cert: Buffer };
  /** Called when Terraform asks the plugin to shut down. */
  readonly onShutdown: () => void;
  readonly log?: (...parts: unknown[]) => void;
}

export interface PluginServer {
  /** go-plugin's handshake line: core protocol, plugin protocol, network, address, protocol, certificate. */
  readonly handshake: string;
  close(): void;
}

export function startPluginServer(options: PluginServerOptions): Promise<PluginServer> {
  const { schema, protocol, name } = options;
  const log = options.log ?? (() => undefined);
  const settings = { region: DEFAULT_REGION, accountId: DEFAULT_ACCOUNT_ID };
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

  function unary(method: string, fn: Handler): grpc.handleUnaryCall<any, any> {
    return (call, callback) => {
      try {
        log("call", method, call.request?.type_name ?? "");
        callback(null, fn(call.request));
      } catch (e) {
        log("error", method, String((e as Error).stack ?? e));
        callback(null, { diagnostics: [{ severity: "ERROR", summary: `schema-only provider ${name}: ${method} failed`, detail: String((e as Error).message ?? e) }] });
      }
    };
  }

  const server = new grpc.Server({ "grpc.max_send_message_length": -1, "grpc.max_receive_message_length": -1 });
  server.addService(serviceDefinition(protocol, "tfplugin6.Provider"), Object.fromEntries(Object.entries(handlers).map(([n, fn]) => [n, unary(n, fn)])));
  server.addService(serviceDefinition(protocol, "plugin.GRPCController"), {
    Shutdown: (_call: unknown, callback: grpc.sendUnaryData<object>) => {
      callback(null, {});
      setTimeout(options.onShutdown, 20);
    },
  });
  server.addService(serviceDefinition(protocol, "grpc.health.v1.Health"), {
    Check: (_call: unknown, callback: grpc.sendUnaryData<object>) => callback(null, { status: "SERVING" }),
  });

  let creds = grpc.ServerCredentials.createInsecure();
  let certificate = "";
  if (options.clientCert) {
    if (!options.tls) throw new Error("a TLS key and certificate are needed for go-plugin's AutoMTLS");
    creds = grpc.ServerCredentials.createSsl(Buffer.from(options.clientCert), [{ private_key: options.tls.key, cert_chain: options.tls.cert }], true);
    // go-plugin's handshake carries the server certificate as unpadded base64 DER.
    certificate = new crypto.X509Certificate(options.tls.cert).raw.toString("base64").replace(/=+$/, "");
  }
  return new Promise((resolve, reject) => {
    server.bindAsync("127.0.0.1:0", creds, (err, port) => {
      if (err) return reject(err);
      log("listening", port);
      resolve({ handshake: `1|6|tcp|127.0.0.1:${port}|grpc${certificate ? `|${certificate}` : ""}`, close: () => server.forceShutdown() });
    });
  });
}
