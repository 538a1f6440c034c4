/**
 * A schema-only Terraform provider as its own process: speaks tfplugin6 over
 * go-plugin's gRPC transport and serves the schema rebuilt from the cdktf
 * bindings (plugin-server.ts). The rehearsal's mirror normally reaches a
 * daemon that hosts the instances instead (daemon.ts, the same server without
 * a Node start-up per plugin launch); this entry point is the one-process form.
 *
 * Environment:
 * - UPSKILL_REHEARSAL_SCHEMA_DIR: folder with `<provider>.json`, the schema subset of this stack;
 * - UPSKILL_REHEARSAL_TLS_DIR: server.crt and server.key for go-plugin's AutoMTLS;
 * - UPSKILL_REHEARSAL_DESCRIPTOR: the protocol's JSON descriptor (protocol.ts);
 * - PLUGIN_CLIENT_CERT (set by Terraform): the client certificate to trust;
 * - UPSKILL_REHEARSAL_LOG (optional): folder for a per-process call log.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { startPluginServer } from "./plugin-server";
import { rootFromDescriptor } from "./protocol";
import type { ProviderSchema } from "./schema";

const providerName = process.argv[2] ?? "";
const logDir = process.env.UPSKILL_REHEARSAL_LOG ?? "";

function fail(message: string): never {
  // go-plugin shows the plugin's stderr when the handshake fails.
  process.stderr.write(`schema-only provider ${providerName}: ${message}\n`);
  process.exit(1);
}

function readJson<T>(variable: string, file: (dir: string) => string): T {
  const value = process.env[variable];
  if (!value) fail(`${variable} is not set: this provider is started by \`npm run rehearse\``);
  try {
    return JSON.parse(fs.readFileSync(file(value), "utf8")) as T;
  } catch (e) {
    return fail(`cannot read ${file(value)}: ${(e as Error).message}`);
  }
}

const schema = readJson<ProviderSchema>("UPSKILL_REHEARSAL_SCHEMA_DIR", (d) => path.join(d, `${providerName}.json`));
const protocol = rootFromDescriptor(readJson("UPSKILL_REHEARSAL_DESCRIPTOR", (f) => f));
const tlsDir = process.env.UPSKILL_REHEARSAL_TLS_DIR;
startPluginServer({
  name: providerName,
  schema,
  protocol,
  clientCert: process.env.PLUGIN_CLIENT_CERT,
  tls: tlsDir ? { key: fs.readFileSync(path.join(tlsDir, "server.key")), cert: fs.readFileSync(path.join(tlsDir, "server.crt")) } : undefined,
  onShutdown: () => process.exit(0),
  log: logDir
    ? (...parts) => fs.appendFileSync(path.join(logDir, `provider-${providerName}-${process.pid}.log`), `${new Date().toISOString()} ${parts.map((p) => (typeof p === "string" ? p : JSON.stringify(p))).join(" ")}\n`)
    : undefined,
}).then(
  (s) => process.stdout.write(`${s.handshake}\n`),
  (e) => fail(`cannot listen: ${(e as Error).message}`),
);
// Terraform sends SIGINT on Ctrl-C and then stops the provider through StopProvider/Shutdown.
process.on("SIGINT", () => undefined);
