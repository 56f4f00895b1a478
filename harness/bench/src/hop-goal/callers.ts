/**
 * One call of each variant of the hop benchmark, the way a careful hand would make it: a
 * keep-alive `node:http` agent for the raw server, a grpc-js client over one channel, and our own
 * client factory (`createServiceClient`) for the runtime. Each checks the product it gets back.
 */
import { Agent, request } from "node:http";
import { credentials as grpcCredentials, makeGenericClientConstructor, type ServiceError } from "@grpc/grpc-js";
import { createServiceClient } from "@microshop/service-client";
import { createServiceResolver } from "@microshop/service-client/resolver";
import { catalogService } from "./grpc";
import { benchProduct, type BenchProduct } from "./payload";
import type { BenchRouter } from "./router";

export interface HopCaller {
  once(): Promise<void>;
  close(): Promise<void>;
}

const input = { slug: benchProduct.slug };

function check(product: BenchProduct): void {
  if (product.slug !== benchProduct.slug || product.description.length !== benchProduct.description.length)
    throw new Error(`the hop answered another product: ${JSON.stringify(product).slice(0, 80)}`);
}

function rawCaller(url: string): HopCaller {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const body = JSON.stringify(input);
  return {
    once: () =>
      new Promise((resolve, reject) => {
        const outgoing = request(
          url,
          { method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
          (response) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("end", () => {
              try {
                if (response.statusCode !== 200) throw new Error(`raw server answered ${response.statusCode}`);
                check(JSON.parse(Buffer.concat(chunks).toString("utf8")) as BenchProduct);
                resolve();
              } catch (error) {
                reject(error instanceof Error ? error : new Error(String(error)));
              }
            });
          },
        );
        outgoing.on("error", reject);
        outgoing.end(body);
      }),
    close: () => Promise.resolve(agent.destroy()),
  };
}

function grpcCaller(address: string): HopCaller {
  const Client = makeGenericClientConstructor(catalogService, "Catalog");
  const client = new Client(address, grpcCredentials.createInsecure());
  const bySlug = (client as unknown as Record<string, unknown>).bySlug as (
    request: typeof input,
    callback: (error: ServiceError | null, product?: BenchProduct) => void,
  ) => void;
  return {
    once: () =>
      new Promise((resolve, reject) => {
        bySlug.call(client, input, (error, product) => {
          if (error || !product) return reject(error ?? new Error("gRPC answered nothing"));
          check(product);
          resolve();
        });
      }),
    close: () => Promise.resolve(client.close()),
  };
}

function runtimeCaller(url: string, signingKey: string | undefined): HopCaller {
  const client = createServiceClient<BenchRouter>("product", {
    resolver: createServiceResolver({ PRODUCT_SERVICE_URLS: url }),
    ...(signingKey ? { credentials: { caller: "bench", signingKey } } : {}),
  });
  return {
    once: async () => check(await client.catalog.bySlug.query(input)),
    close: () => Promise.resolve(),
  };
}

export function callerFor(kind: string, address: string, signingKey: string | undefined): Promise<HopCaller> {
  if (kind === "raw") return Promise.resolve(rawCaller(address));
  if (kind === "grpc") return Promise.resolve(grpcCaller(address));
  if (kind === "runtime") return Promise.resolve(runtimeCaller(address, signingKey));
  return Promise.reject(new Error(`no hop caller "${kind}": raw, grpc or runtime`));
}
