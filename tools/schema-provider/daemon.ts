import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { startPluginServer, type PluginServer } from "./plugin-server";
import { protocolDescriptor } from "./descriptor";
import { rootFromDescriptor } from "./protocol";
import type { ProviderSchema } from "./schema";

/**
 * Hosts schema-only provider instances in the rehearsal's own process.
 * Terraform starts a provider 2-3 times per command; each start of a Node
 * process cost about 0.25 s of CPU, most of a stack's rehearsal. The mirror's
 * plugin executable is therefore a small bash launcher (`launcherScript`):
 * it connects to this daemon, sends the provider name, the stack's schema
 * folder and Terraform's client certificate, prints the handshake line the
 * daemon answers with, and stays until the instance shuts down. Terraform
 * sees a plugin process as usual: handshake, AutoMTLS, gRPC, Shutdown, kill.
 */
export interface ProviderDaemon {
  readonly port: number;
  close(): Promise<void>;
}

export interface DaemonOptions {
  readonly tlsDir: string;
  readonly log?: (...parts: unknown[]) => void;
}

export async function startProviderDaemon(options: DaemonOptions): Promise<ProviderDaemon> {
  const protocol = rootFromDescriptor(protocolDescriptor());
  const tls = { key: fs.readFileSync(path.join(options.tlsDir, "server.key")), cert: fs.readFileSync(path.join(options.tlsDir, "server.crt")) };
  const schemas = new Map<string, ProviderSchema>();
  const live = new Set<PluginServer>();
  const sockets = new Set<net.Socket>();

  const server = net.createServer((socket) => {
    sockets.add(socket);
    let buffer = "";
    let instance: PluginServer | undefined;
    const finish = () => {
      instance?.close();
      if (instance) live.delete(instance);
      instance = undefined;
      sockets.delete(socket);
    };
    socket.on("close", finish);
    socket.on("error", finish);
    socket.on("data", (chunk) => {
      if (instance) return;
      buffer += chunk.toString("utf8");
      const lines = buffer.split("\n");
      if (lines.length < 4) return;
      const [name, schemaDir, certBase64] = lines;
      socket.pause();
      try {
        const file = path.join(schemaDir, `${name}.json`);
        let schema = schemas.get(file);
        if (!schema) {
          schema = JSON.parse(fs.readFileSync(file, "utf8")) as ProviderSchema;
          schemas.set(file, schema);
        }
        const clientCert = certBase64 ? Buffer.from(certBase64, "base64").toString("utf8") : undefined;
        startPluginServer({ name, schema, protocol, clientCert, tls, onShutdown: () => socket.end(), log: options.log }).then(
          (s) => {
            instance = s;
            live.add(s);
            socket.write(`${s.handshake}\n`);
          },
          (e) => socket.end(`schema-only provider ${name}: cannot listen: ${(e as Error).message}\n`),
        );
      } catch (e) {
        socket.end(`schema-only provider ${name}: ${(e as Error).message}\n`);
      }
    });
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port));
  });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of live) s.close();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The mirror's plugin executable for `provider`: reaches the daemon on `port`. */
export function launcherScript(provider: string, port: number): string {
  return `#!/usr/bin/env bash
# Schema-only provider ${provider}: an instance in the rehearsal's provider daemon
# (tools/schema-provider/daemon.ts), reached on 127.0.0.1:${port} while the rehearsal runs.
exec 3<>"/dev/tcp/127.0.0.1/${port}" || { echo "schema-only provider ${provider}: the rehearsal's provider daemon is not running" >&2; exit 1; }
printf '%s\\n%s\\n%s\\n' ${provider} "$UPSKILL_REHEARSAL_SCHEMA_DIR" "$(printf '%s' "\${PLUGIN_CLIENT_CERT:-}" | base64 -w0)" >&3
IFS= read -r handshake <&3 || { echo "schema-only provider ${provider}: no answer from the daemon" >&2; exit 1; }
case "$handshake" in
  "1|6|"*) printf '%s\\n' "$handshake" ;;
  *) printf '%s\\n' "$handshake" >&2; exit 1 ;;
esac
exec cat <&3 >/dev/null
`;
}
