import type * as grpc from "@grpc/grpc-js";
import * as protobuf from "protobufjs/light";

/**
 * gRPC service definitions for @grpc/grpc-js from a protobufjs JSON
 * descriptor of the vendored .proto files (proto/). The descriptor is made
 * once, when the provider is bundled (`protocolDescriptor`), because Terraform
 * starts a provider process several times per command and parsing the .proto
 * text in each start cost more than the rest of the start-up together.
 */
export const PROTO_FILES = ["tfplugin6.proto", "grpc_controller.proto", "health.proto"] as const;

/** Field names as in the .proto (snake_case), enums as names, bytes as Buffers, no defaults filled in. */
const TO_OBJECT: protobuf.IConversionOptions = { longs: Number, enums: String, bytes: Buffer, defaults: false, oneofs: true };

export function serviceDefinition(root: protobuf.Root, serviceName: string): grpc.ServiceDefinition {
  const service = root.lookupService(serviceName);
  service.resolveAll();
  const definition: Record<string, grpc.MethodDefinition<object, object>> = {};
  for (const method of service.methodsArray) {
    const request = method.resolvedRequestType!;
    const response = method.resolvedResponseType!;
    definition[method.name] = {
      path: `/${service.fullName.replace(/^\./, "")}/${method.name}`,
      requestStream: !!method.requestStream,
      responseStream: !!method.responseStream,
      requestSerialize: (o: object) => Buffer.from(request.encode(request.fromObject(o)).finish()),
      requestDeserialize: (b: Buffer) => request.toObject(request.decode(b), TO_OBJECT),
      responseSerialize: (o: object) => Buffer.from(response.encode(response.fromObject(o)).finish()),
      responseDeserialize: (b: Buffer) => response.toObject(response.decode(b), TO_OBJECT),
      originalName: method.name,
    };
  }
  return definition;
}

export function rootFromDescriptor(descriptor: protobuf.INamespace): protobuf.Root {
  return protobuf.Root.fromJSON(descriptor);
}
