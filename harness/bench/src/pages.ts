/* eslint-disable no-console -- a benchmark prints its progress */
/**
 * Pages under load (issue #12, goal 1): the product, category, home and search pages at 50
 * connections, three ways in one run so that the ratios hold on a busy machine:
 *
 * - today: a stack with `PAGE_CACHE=off`, the storefront reading the catalog per request as before;
 * - cached: a stack as `pnpm start` runs it: the catalog read through Next.js's data cache, and
 *   each page kept once rendered by the storefront's page cache (apps/storefront/src/front-door),
 *   sent again under a fresh nonce;
 * - static: the very HTML the cached stack served, from a plain `node:http` server in its own
 *   process (the limit: what serving bytes costs on this machine, with no rendering at all).
 *
 * The two stacks run side by side (the second on the offset + 100) and take turns, page by page and
 * load by load, so a change in what else the machine is doing falls on both alike.
 * Each page is warmed, then driven by autocannon for `seconds`; every response's latency is kept to
 * read the p95 the goal names (autocannon's own summary has p90 and p97.5, not p95). While a page is
 * driven, the CPU time of the storefront and of the product and inventory services is read from
 * /proc: CPU per page view is the profile that says where a page's time goes. Then a cold Chromium
 * opens the product page against each stack: time to the product's name (the main content) and to
 * the stock badge, so the first load in a browser is measured too.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { ports, services } from "@microshop/topology";
import { launchChromium } from "./browser";
import { percentile, writeSection } from "./report";
import { benchPortOffset, cpuMs, startStack, type RunningStack } from "./running-stack";

const connections = 50;
const seconds = Number(process.env.PAGES_BENCH_SECONDS ?? 10);
const browserLoads = 9;

/** The pages of the issue's table, and a category beside them. */
export const benchedPages = [
  { name: "product", path: "/p/stoneware-mug" },
  { name: "category", path: "/c/kitchen" },
  { name: "home", path: "/" },
  { name: "search", path: "/search?q=lamp" },
] as const;

type PageName = (typeof benchedPages)[number]["name"];
export type Variant = "today" | "cached" | "static";

export interface LoadRun {
  readonly variant: Variant;
  readonly page: PageName;
  readonly perSecond: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly errors: number;
  /** CPU milliseconds per page view, per process (absent for the static server). */
  readonly cpuMsPerView?: { readonly storefront: number; readonly product: number; readonly inventory: number };
}

export interface FirstLoad {
  readonly variant: Exclude<Variant, "static">;
  /** Medians over `browserLoads` cold loads, from navigation start. */
  readonly mainMs: number;
  readonly stockMs: number;
}

export interface PagesResult {
  readonly runs: LoadRun[];
  readonly firstLoads: FirstLoad[];
  readonly cores: number;
  readonly loadAverage: number;
}

/** One autocannon run; keeps every response's latency for the percentiles. */
async function drive(url: string): Promise<Omit<LoadRun, "variant" | "page" | "cpuMsPerView">> {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections, duration: seconds }, (error, done) =>
      error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(done),
    );
    instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  return {
    perSecond: result.requests.total / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

/** The pid listening on a loopback port (the supervisor does not tell its processes' pids here). */
function pidOnPort(port: number): number | undefined {
  const out = execFileSync("ss", ["-Hltnp", `sport = :${port}`], { encoding: "utf8" });
  const match = /pid=(\d+)/.exec(out);
  return match ? Number(match[1]) : undefined;
}

async function warm(url: string): Promise<void> {
  for (let i = 0; i < 20; i += 1) {
    const response = await fetch(url);
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${url} answered ${response.status} while warming`);
  }
}

interface BenchedStack {
  readonly variant: "today" | "cached";
  readonly stack: RunningStack;
  readonly offset: number;
}

async function benchPage(target: BenchedStack, page: (typeof benchedPages)[number]): Promise<LoadRun> {
  const pids = {
    storefront: pidOnPort(ports.storefront + target.offset),
    product: pidOnPort(services.product.port + target.offset),
    inventory: pidOnPort(services.inventory.port + target.offset),
  };
  const url = `${target.stack.storefrontUrl}${page.path}`;
  await warm(url);
  const before = { storefront: cpuMs(pids.storefront), product: cpuMs(pids.product), inventory: cpuMs(pids.inventory) };
  const run = await drive(url);
  const views = Math.max(1, run.perSecond * seconds);
  console.log(`${target.variant} ${page.name}: ${Math.round(run.perSecond)} req/s, p95 ${run.p95.toFixed(0)} ms`);
  return {
    variant: target.variant,
    page: page.name,
    ...run,
    cpuMsPerView: {
      storefront: (cpuMs(pids.storefront) - before.storefront) / views,
      product: (cpuMs(pids.product) - before.product) / views,
      inventory: (cpuMs(pids.inventory) - before.inventory) / views,
    },
  };
}

/**
 * Cold loads of the product page, the two stacks in turn: a fresh browser context each time, so
 * nothing comes from the browser's cache; the server's catalog cache is warm, as it is for shoppers.
 */
async function firstLoads(targets: readonly BenchedStack[]): Promise<FirstLoad[]> {
  const browser = await launchChromium();
  const samples = new Map(targets.map((t) => [t.variant, { main: [] as number[], stock: [] as number[] }]));
  try {
    for (let i = 0; i < browserLoads; i += 1) {
      for (const target of targets) {
        const context = await browser.newContext();
        const page = await context.newPage();
        const start = Date.now();
        await page.goto(`${target.stack.storefrontUrl}/p/stoneware-mug`, { waitUntil: "commit" });
        await page.getByRole("heading", { level: 1 }).waitFor();
        samples.get(target.variant)?.main.push(Date.now() - start);
        await page.getByTestId("stock-status").waitFor();
        samples.get(target.variant)?.stock.push(Date.now() - start);
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
  return [...samples.entries()].map(([variant, { main, stock }]) => ({
    variant,
    mainMs: percentile(main, 50),
    stockMs: percentile(stock, 50),
  }));
}

/** The HTML the cached stack served, from a bare `node:http` server in a process of its own. */
async function startStaticServer(bodies: Map<string, string>): Promise<{ url: string; stop: () => void }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "microshop-pages-"));
  const files: Record<string, string> = {};
  [...bodies.entries()].forEach(([pagePath, body], i) => {
    const file = path.join(dir, `${i}.html`);
    writeFileSync(file, body);
    files[pagePath] = file;
  });
  // Written out here rather than a package: it must do nothing but hand back bytes already in memory.
  const program = `
    const http = require("node:http");
    const fs = require("node:fs");
    const files = JSON.parse(process.argv[1]);
    const bodies = new Map(Object.entries(files).map(([p, f]) => [p, fs.readFileSync(f)]));
    const server = http.createServer((req, res) => {
      const body = bodies.get(req.url);
      if (!body) { res.writeHead(404).end(); return; }
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": body.length }).end(body);
    });
    server.listen(0, "127.0.0.1", () => console.log("port " + server.address().port));`;
  const child: ChildProcess = spawn(process.execPath, ["-e", program, JSON.stringify(files)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once("data", (chunk: Buffer) => resolve(Number(/port (\d+)/.exec(chunk.toString())?.[1])));
    child.once("exit", (code) => reject(new Error(`the static server exited (${code})`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => {
      child.removeAllListeners("exit");
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function benchPages(): Promise<PagesResult> {
  const runs: LoadRun[] = [];
  const firstLoadResults: FirstLoad[] = [];
  const bodies = new Map<string, string>();

  const secondOffset = benchPortOffset + 100;
  const today = await startStack({ portOffset: benchPortOffset, env: { PAGE_CACHE: "off" } });
  try {
    const cached = await startStack({ portOffset: secondOffset });
    try {
      const targets: BenchedStack[] = [
        { variant: "today", stack: today, offset: benchPortOffset },
        { variant: "cached", stack: cached, offset: secondOffset },
      ];
      for (const page of benchedPages) for (const target of targets) runs.push(await benchPage(target, page));
      firstLoadResults.push(...(await firstLoads(targets)));
      for (const page of benchedPages) bodies.set(page.path, await (await fetch(`${cached.storefrontUrl}${page.path}`)).text());
    } finally {
      await cached.stop();
    }
  } finally {
    await today.stop();
  }

  const server = await startStaticServer(bodies);
  try {
    for (const page of benchedPages) {
      const run = await drive(`${server.url}${page.path}`);
      runs.push({ variant: "static", page: page.name, ...run });
      console.log(`static ${page.name}: ${Math.round(run.perSecond)} req/s, p95 ${run.p95.toFixed(0)} ms`);
    }
  } finally {
    server.stop();
  }
  return { runs, firstLoads: firstLoadResults, cores: os.cpus().length, loadAverage: os.loadavg()[0] ?? 0 };
}

function find(result: PagesResult, variant: Variant, page: PageName): LoadRun {
  const run = result.runs.find((r) => r.variant === variant && r.page === page);
  if (!run) throw new Error(`no ${variant} run of ${page}`);
  return run;
}

const ms = (value: number) => `${value.toFixed(0)} ms`;
const times = (value: number) => `×${value.toFixed(1)}`;

export function writePages(result: PagesResult): void {
  const rows = benchedPages.map(({ name }) => {
    const today = find(result, "today", name);
    const cached = find(result, "cached", name);
    const plain = find(result, "static", name);
    const speedup = cached.perSecond / Math.max(today.perSecond, 0.01);
    const met = cached.p95 < 50 && speedup >= 20;
    return `| ${name} | ${today.perSecond.toFixed(0)} · p95 ${ms(today.p95)} | ${cached.perSecond.toFixed(0)} · p95 ${ms(cached.p95)} | ${plain.perSecond.toFixed(0)} · p95 ${ms(plain.p95)} | ${times(speedup)} | ${times(plain.perSecond / Math.max(cached.perSecond, 0.01))} | ${met ? "met" : "missed"} |`;
  });
  const cpuRows = benchedPages.map(({ name }) => {
    const cpu = (variant: "today" | "cached") => {
      const c = find(result, variant, name).cpuMsPerView;
      return c ? `${c.storefront.toFixed(1)} / ${c.product.toFixed(1)} / ${c.inventory.toFixed(1)}` : "";
    };
    return `| ${name} | ${cpu("today")} | ${cpu("cached")} |`;
  });
  const errors = result.runs.reduce((sum, run) => sum + run.errors, 0);
  const [todayLoad, cachedLoad] = ["today", "cached"].map((v) => result.firstLoads.find((f) => f.variant === v));
  const perView = (variant: "today" | "cached", name: PageName) => {
    const c = find(result, variant, name).cpuMsPerView;
    return c ? c.storefront + c.product + c.inventory : 0;
  };
  const missed = benchedPages.filter(({ name }) => {
    const cached = find(result, "cached", name);
    return !(cached.p95 < 50 && cached.perSecond / Math.max(find(result, "today", name).perSecond, 0.01) >= 20);
  });
  const verdict =
    missed.length === 0
      ? "**Every page meets the goal.**"
      : `**Missed on ${missed.map((page) => page.name).join(", ")}** in this run: see the p95 and the machine's load above.`;
  writeSection(
    "pages",
    `## Pages under load (issue #12, goal 1)

\`pnpm bench pages\`: the product, category, home and search pages, each driven by autocannon at
${connections} connections for ${seconds} s after a warm-up, three ways in the same run: **today** (the storefront
renders every page and reads the catalog per request: \`PAGE_CACHE=off\`), **cached** (as \`pnpm start\`
runs it: the catalog through Next.js's data cache, each page kept once rendered by the storefront's
page cache and sent again under a fresh nonce), the two stacks side by side taking turns page by page, and
**static** (the same HTML bodies from a plain \`node:http\` server: the limit). Measured on a shared ${result.cores}-core machine (load average ${result.loadAverage.toFixed(1)} at the end, other
work running): absolute figures are noisy, the ratios within this run are what to read.
${errors > 0 ? `\n${errors} responses failed or were not 2xx across the runs.\n` : ""}
| page | today req/s · p95 | cached req/s · p95 | static req/s · p95 | cached ÷ today | static ÷ cached | goal (p95 < 50 ms, ≥ ×20) |
| --- | --- | --- | --- | --- | --- | --- |
${rows.join("\n")}

Where a page view's time goes: CPU ms per view, storefront / product service / inventory service.

| page | today | cached |
| --- | --- | --- |
${cpuRows.join("\n")}

First load of the product page in a cold Chromium, the two stacks in turn (median of ${browserLoads} each,
from navigation start): the product's name ${todayLoad ? ms(todayLoad.mainMs) : "?"} today, ${cachedLoad ? ms(cachedLoad.mainMs) : "?"} cached; the stock
badge ${todayLoad ? ms(todayLoad.stockMs) : "?"} today, ${cachedLoad ? ms(cachedLoad.stockMs) : "?"} cached (a kept page leaves the badge to the browser, which asks
the BFF once the page's scripts run; a rendered one streams it in).

${verdict} A product page costs ${perView("cached", "product").toFixed(1)} ms of CPU per view kept, against
${perView("today", "product").toFixed(1)} ms rendered per request. What a kept page still costs over the static column: a fresh
nonce, the page copied around it, the security headers, and the request's server span (every page
view is still on the map).

How: Next.js renders a page's scripts under the response's CSP nonce, so a page can only be kept by a
layer that sees the body and gives each response a nonce of its own: the storefront's page cache
(apps/storefront/src/front-door/page-cache.ts), in front of Next.js's handler in the storefront's own
server. It keeps the page cut at the nonce it was rendered with and joins it around a fresh one, with
the same strict policy as a rendered page (never \`'unsafe-inline'\`). Next.js's cache components
(\`cacheComponents\`, \`"use cache"\`) were not the way: their prerendered shell carries no nonce, and
in Next.js 16.4 a dynamic route under them answers an unknown product with 200 instead of 404
(vercel/next.js#98518). Kept: only the public catalog pages, from visitors without cookies, 200 HTML
only, never the outage or error page, for \`CATALOG_CACHE_SECONDS\`; the stock badge stays live.`,
  );
}
