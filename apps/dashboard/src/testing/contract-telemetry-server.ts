import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { ContractTelemetryStore, contractTelemetryRouter, spansFromOtlpJson } from "./contract-telemetry";

export interface RunningContractTelemetry {
  /** tRPC endpoint, what TELEMETRY_URL points at. */
  readonly url: string;
  /** OTLP/HTTP JSON endpoint. */
  readonly otlpUrl: string;
  readonly store: ContractTelemetryStore;
  close(): Promise<void>;
}

/** Serves the contract stand-in over HTTP: tRPC at /trpc, OTLP JSON at /v1/traces. Port 0 picks a free one. */
export async function startContractTelemetry(port = 0): Promise<RunningContractTelemetry> {
  const store = new ContractTelemetryStore();
  const trpc = createHTTPHandler({ router: contractTelemetryRouter, basePath: "/trpc/", createContext: () => ({ store, now: () => Date.now() }) });
  const server = createServer((req, res) => {
    if (req.method === "POST" && req.url === "/v1/traces") {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        try {
          store.ingest(spansFromOtlpJson(JSON.parse(Buffer.concat(chunks).toString("utf8"))));
          res.writeHead(200, { "content-type": "application/json" }).end("{}");
        } catch (error) {
          res.writeHead(400).end(error instanceof Error ? error.message : "bad request");
        }
      });
      return;
    }
    if (req.url?.startsWith("/trpc/")) return void trpc(req, res);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/trpc`,
    otlpUrl: `${base}/v1/traces`,
    store,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
