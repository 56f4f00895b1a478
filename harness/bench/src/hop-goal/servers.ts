/**
 * The three servers of the hop benchmark, each answering `bySlug` with the same 1 KB product:
 * a raw `node:http` server (the floor), a grpc-js unary method, and our own runtime (`startServer`,
 * with service tokens checked when `trustedKeys` is given).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server, ServerCredentials, status } from "@grpc/grpc-js";
import { createLogger } from "@microshop/service-runtime/logger";
import { startServer } from "@microshop/service-runtime/server";
import { catalogService } from "./grpc";
import { benchProduct, type BySlugInput } from "./payload";
import { benchRouter } from "./router";

export interface RunningBenchServer {
  /** Where the client calls: a URL for HTTP, `host:port` for gRPC. */
  readonly address: string;
  close(): Promise<void>;
}

const host = "127.0.0.1";
const answer = JSON.stringify(benchProduct);

/** Reads a JSON body and answers the product: what a hand-made JSON-over-HTTP service does, no more. */
export async function startRawServer(): Promise<RunningBenchServer> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const input = JSON.parse(Buffer.concat(chunks).toString("utf8")) as BySlugInput;
      if (input.slug !== benchProduct.slug) {
        response.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
        return;
      }
      response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(answer) }).end(answer);
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    address: `http://${host}:${(server.address() as AddressInfo).port}/by-slug`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export async function startGrpcServer(): Promise<RunningBenchServer> {
  const server = new Server();
  server.addService(catalogService, {
    bySlug: (
      call: { request: BySlugInput },
      callback: (error: { code: number; details: string } | null, value?: typeof benchProduct) => void,
    ) => {
      if (call.request.slug !== benchProduct.slug) callback({ code: status.NOT_FOUND, details: "not found" });
      else callback(null, benchProduct);
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:0`, ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return {
    address: `${host}:${port}`,
    close: () => new Promise((resolve) => server.tryShutdown(() => resolve())),
  };
}

export async function startRuntimeServer(trustedKeys: string | undefined): Promise<RunningBenchServer> {
  const running = await startServer({
    name: "product",
    host,
    port: 0,
    logger: createLogger("product", "warn"),
    mounts: [
      {
        path: "/trpc",
        name: "product",
        router: benchRouter,
        instance: {
          createContext: () => Promise.resolve({}),
          checkReady: () => Promise.resolve(),
          close: () => Promise.resolve(),
        },
      },
    ],
    // The bench client signs as "bench"; the topology knows no such caller, so the allow-list is the bench's own.
    ...(trustedKeys ? { serviceTrust: { trustedKeys, allowedCallers: () => ["bench"] } } : {}),
  });
  return { address: `${running.url}/trpc`, close: () => running.close() };
}
