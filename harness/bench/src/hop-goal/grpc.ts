/**
 * The gRPC side of the hop benchmark: one unary method, `Catalog/BySlug`, described by hand as a
 * grpc-js service definition with JSON (de)serialisers, rather than a `.proto` compiled by protoc or
 * loaded by proto-loader: the point is the transport's cost on the very bytes tRPC carries (the same
 * 1 KB product JSON), and a hand-written definition needs no code generation step.
 */
import type { ServiceDefinition } from "@grpc/grpc-js";
import type { BenchProduct, BySlugInput } from "./payload";

const json = {
  serialize: (value: unknown): Buffer => Buffer.from(JSON.stringify(value)),
  deserialize: (bytes: Buffer): unknown => JSON.parse(bytes.toString("utf8")),
};

export const catalogService = {
  bySlug: {
    path: "/microshop.bench.Catalog/BySlug",
    requestStream: false,
    responseStream: false,
    requestSerialize: json.serialize,
    requestDeserialize: (bytes: Buffer) => json.deserialize(bytes) as BySlugInput,
    responseSerialize: json.serialize,
    responseDeserialize: (bytes: Buffer) => json.deserialize(bytes) as BenchProduct,
  },
} satisfies ServiceDefinition;
