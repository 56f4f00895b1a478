/**
 * One call of each variant of the hop benchmark, the way a careful hand would make it: a
 * keep-alive `node:http` agent for the raw server, a grpc-js client over one channel, and our own
 * client factory (`createServiceClient`) for the runtime, or a bare caller of tRPC's wire for its
 * share alone. Each checks the product it gets back.
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

/**
 * One JSON POST after another over a keep-alive agent, the answer read by `read`: the raw server's
 * caller, and the least a client of our runtime can do (tRPC's wire by hand: no deadline, no span).
 */
function postCaller(url: string, body: string, read: (json: unknown) => BenchProduct): HopCaller {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
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
                if (response.statusCode !== 200) throw new Error(`the server answered ${response.statusCode}`);
                check(read(JSON.parse(Buffer.concat(chunks).toString("utf8"))));
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

const rawCaller = (url: string) => postCaller(url, JSON.stringify(input), (json) => json as BenchProduct);

/** The product is plain JSON, so superjson's envelope carries it as it is (`json`, no `meta`). */
const wireCaller = (url: string) =>
  postCaller(`${url}/catalog.bySlug`, JSON.stringify({ json: input }), (json) => {
    const { result } = json as { result: { data: { json: BenchProduct } } };
    return result.data.json;
  });

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
  if (kind === "wire") return Promise.resolve(wireCaller(address));
  if (kind === "runtime") return Promise.resolve(runtimeCaller(address, signingKey));
  return Promise.reject(new Error(`no hop caller "${kind}": raw, grpc, wire or runtime`));
}
