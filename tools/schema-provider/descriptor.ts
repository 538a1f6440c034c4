import * as path from "node:path";
import * as protobuf from "protobufjs";
import { PROTO_FILES } from "./protocol";

/**
 * The JSON descriptor of the vendored .proto files, field names kept as
 * written. google/protobuf/* imports come from protobufjs's own copies.
 */
export function protocolDescriptor(protoDir: string = path.join(__dirname, "proto")): protobuf.INamespace {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (target.startsWith("google/protobuf/") ? require.resolve(`protobufjs/${target}`) : path.resolve(protoDir, target));
  root.loadSync(PROTO_FILES.map((f) => path.join(protoDir, f)), { keepCase: true });
  return root.toJSON();
}
