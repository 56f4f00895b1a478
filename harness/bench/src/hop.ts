/**
 * One service hop: the same product-service call made over tRPC/HTTP to a separate process, and
 * in-process through the monolith's local link. Latency percentiles come from tinybench; the
 * concurrent throughput loop is hand-written because tinybench measures one call at a time.
 */
import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { fixtures } from "@microshop/seed-data/catalog";
import type { ProductRouter } from "@microshop/product-service/router";
import { productService } from "@microshop/product-service/service";
import { createServiceClient, type TRPCClient } from "@microshop/service-client";
import { createServiceResolver } from "@microshop/service-client/resolver";
import { hostService } from "@microshop/service-runtime/host";
import { createTestDatabase } from "@microshop/service-runtime/testing";
import { freePort } from "@microshop/supervisor/ports";
import { services } from "@microshop/topology";
import { pino } from "pino";
import { Bench } from "tinybench";
import { formatMs } from "./report";

const productDir = path.resolve(import.meta.dirname, "..", "..", "..", services.product.folder);
const throughputSeconds = Number(process.env.BENCH_SECONDS ?? 5);
const concurrency = 32;
/** A benchmark measures slowness rather than cutting it off: on a busy machine 32 calls in flight can queue past 3 s. */
const callDeadlineMs = 30_000;

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`product service exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`product service never became ready at ${url}`);
}

async function throughput(call: () => Promise<unknown>): Promise<number> {
  const deadline = performance.now() + throughputSeconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await call();
        done += 1;
      }
    }),
  );
  return done / throughputSeconds;
}

interface HopResult {
  readonly name: string;
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
  readonly samples: number;
  readonly perSecond: number;
}

export async function benchServiceHop(): Promise<HopResult[]> {
  const db = await createTestDatabase(productDir, "bench-product");
  const port = await freePort();
  const child = spawn(process.execPath, ["dist/main.js"], {
    cwd: productDir,
    // The hop alone: tracing's own cost is measured by the tracing-overhead benchmark.
    env: { ...process.env, PORT: String(port), DATABASE_URL: db.url, LOG_LEVEL: "warn", OTEL_SDK_DISABLED: "true" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  try {
    await waitReady(`http://127.0.0.1:${port}/readyz`, child);
    const overHttp = createServiceClient<ProductRouter>("product", {
      resolver: createServiceResolver({ PRODUCT_SERVICE_URLS: `http://127.0.0.1:${port}/trpc` }),
      timeoutMs: callDeadlineMs,
    });

    const resolver = createServiceResolver({});
    const instance = await hostService(productService, {
      env: { DATABASE_URL: db.url, SEED_ON_EMPTY: "false" },
      logger: pino({ level: "warn" }),
      resolver,
    });
    const inProcess = createServiceClient<ProductRouter>("product", { resolver, timeoutMs: callDeadlineMs });

    const variants: Array<[string, TRPCClient<ProductRouter>]> = [
      ["tRPC over HTTP (separate process)", overHttp],
      ["in-process (monolith local link)", inProcess],
    ];
    const bench = new Bench({ time: 3_000, warmupTime: 500 });
    for (const [name, client] of variants) {
      bench.add(name, async () => {
        await client.catalog.bySlug.query({ slug: fixtures.inStockSlug });
      });
    }
    await bench.run();

    const results: HopResult[] = [];
    for (const [name, client] of variants) {
      const task = bench.getTask(name);
      const result = task?.result;
      if (!result || result.state !== "completed") throw new Error(`benchmark "${name}" did not complete`);
      const perSecond = await throughput(() => client.catalog.bySlug.query({ slug: fixtures.inStockSlug }));
      results.push({
        name,
        p50: result.latency.p50,
        p99: result.latency.p99,
        mean: result.latency.mean,
        samples: result.latency.samples?.length ?? 0,
        perSecond,
      });
    }
    await instance.close();
    return results;
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
    db.remove();
  }
}

export function hopSection(results: readonly HopResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${formatMs(r.p50)} | ${formatMs(r.p99)} | ${formatMs(r.mean)} | ${Math.round(r.perSecond).toLocaleString("en-US")} |`,
  );
  const [http, local] = results;
  const ratio = http && local ? (http.p50 / local.p50).toFixed(1) : "?";
  return `## One service hop: tRPC over HTTP vs in-process

The same call, \`catalog.bySlug\` on the product service (real SQLite through Prisma), made through the
client factory both ways, with tracing off (its cost is measured on its own, below). Latency: one
call at a time (tinybench, 3 s per variant). Throughput:
${concurrency} calls in flight for ${throughputSeconds} s. Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} cores
(load average ${os.loadavg()[0]?.toFixed(0)} at the end: above the core count the machine was shared and the absolute figures are
noisy; the two rows come from the same run), Node ${process.version}.

| variant | p50 | p99 | mean | calls/s (${concurrency} in flight) |
| --- | --- | --- | --- | --- |
${rows.join("\n")}

The network hop costs about ${ratio}× the in-process call at the median: serialisation, HTTP and a
second process's event loop. That is the price microservices pay for independent deploys and scaling.`;
}
