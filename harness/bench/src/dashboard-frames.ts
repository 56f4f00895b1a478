/**
 * Dashboard smoothness: frame times of the dashboard page in headless Chromium while synthetic
 * traffic (realistic OTLP traces) pours in at a fixed rate. Only the telemetry service and the
 * dashboard run, so the browser and the two of them share the cores with nothing else.
 */
import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { startSyntheticTraffic } from "@microshop/otlp-fixtures";
import { deriveSigningKey, trustedKeysFor } from "@microshop/service-auth";
import { folders } from "@microshop/topology";
import { allowCompiledFunctions, launchChromium } from "./browser";
import { percentile, writeSection } from "./report";

const repoRoot = path.resolve(import.meta.dirname, "..", "..", "..");
const telemetryPort = 4_818;
const dashboardPort = 3_801;
const secret = "bench-only-secret-of-at-least-32-characters";
const rates = [500, 2_000];
const seconds = 10;

async function waitFor(url: string): Promise<void> {
  for (let tries = 0; tries < 300; tries++) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} never answered`);
}

function run(command: string[], cwd: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, command, { cwd: path.join(repoRoot, cwd), stdio: "ignore", env: { ...process.env, ...env } });
}

export interface FrameTimes {
  readonly spansPerSecond: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
  readonly frames: number;
  readonly particles: number;
}

export async function benchDashboardFrames(): Promise<FrameTimes[]> {
  // As in a stack: the telemetry service checks the dashboard's key, the dashboard signs with it.
  const trustedKeys = trustedKeysFor(secret, ["dashboard"]);
  const telemetry = run(["dist/main.js"], folders.telemetry, {
    PORT: String(telemetryPort),
    LOG_LEVEL: "warn",
    SERVICE_TRUSTED_KEYS: trustedKeys,
  });
  const dashboard = run(
    ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(dashboardPort)],
    folders.dashboard,
    {
      SERVICE_SIGNING_KEY: deriveSigningKey(secret, "dashboard"),
      TELEMETRY_URL: `http://127.0.0.1:${telemetryPort}/trpc`,
      SUPERVISOR_URL: "http://127.0.0.1:9/trpc",
      NODE_ENV: "production",
    },
  );
  const browser = await launchChromium();
  const results: FrameTimes[] = [];
  try {
    await waitFor(`http://127.0.0.1:${telemetryPort}/readyz`);
    await waitFor(`http://127.0.0.1:${dashboardPort}/api/health`);
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await allowCompiledFunctions(context);
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${dashboardPort}`);
    for (const spansPerSecond of rates) {
      const traffic = startSyntheticTraffic({ otlpUrl: `http://127.0.0.1:${telemetryPort}/v1/traces`, spansPerSecond });
      await page.waitForTimeout(3_000); // the map fills in and settles at this rate
      const measured = await page.evaluate(async (ms) => {
        const deltas: number[] = [];
        let particles = 0;
        const observer = new MutationObserver((mutations) => {
          for (const mutation of mutations)
            for (const added of mutation.addedNodes)
              if (added instanceof Element && added.getAttribute("data-testid") === "particle") particles += 1;
        });
        observer.observe(document.body, { childList: true, subtree: true });
        await new Promise<void>((resolve) => {
          let last = performance.now();
          const until = last + ms;
          const frame = (now: number) => {
            deltas.push(now - last);
            last = now;
            if (now < until) requestAnimationFrame(frame);
            else resolve();
          };
          requestAnimationFrame(frame);
        });
        observer.disconnect();
        return { deltas, particles };
      }, seconds * 1_000);
      await traffic.stop();
      results.push({
        spansPerSecond,
        p50Ms: percentile(measured.deltas, 50),
        p95Ms: percentile(measured.deltas, 95),
        maxMs: Math.max(...measured.deltas),
        frames: measured.deltas.length,
        particles: measured.particles,
      });
    }
    return results;
  } finally {
    await browser.close();
    dashboard.kill("SIGTERM");
    telemetry.kill("SIGTERM");
  }
}

export function writeDashboardFrames(results: FrameTimes[]): void {
  const rows = results.map(
    (r) =>
      `| ${r.spansPerSecond.toLocaleString("en-US")} | ${r.p50Ms.toFixed(1)} ms | ${r.p95Ms.toFixed(1)} ms | ${r.maxMs.toFixed(1)} ms | ${r.frames} | ${r.particles.toLocaleString("en-US")} |`,
  );
  writeSection(
    "dashboard-frames",
    `## Dashboard smoothness

Frame times (time between animation frames) of the dashboard in headless Chromium, 1440×900, for
${seconds} s while synthetic shop traces (browser → storefront → services → SQLite, the shapes the
real stack exports) are posted to the telemetry service at a fixed rate; the particle count is how
many were drawn in that time. Only the telemetry service and the dashboard run. Measured
${new Date().toISOString().slice(0, 10)} on ${os.availableParallelism()} cores (shared by Chromium, the dashboard, the telemetry service and the traffic),
Node ${process.version}. Goal: p95 under 20 ms at 500 spans/s.

| spans/s | frame p50 | frame p95 | worst frame | frames | particles drawn |
| --- | --- | --- | --- | --- | --- |
${rows.join("\n")}
`,
  );
}
