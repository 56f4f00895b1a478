/**
 * Telemetry ingest: OTLP/HTTP JSON exports (realistic 12-span checkout traces) posted over loopback
 * to the built telemetry service running as its own process, as fast as it takes them. Its resident
 * memory is read from /proc through the run: flat means the bounded store, joiner and map hold.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { measureIngest } from "@microshop/telemetry-service/bench/ingest";
import { folders } from "@microshop/topology";
import { writeSection } from "./report";

const repoRoot = path.resolve(import.meta.dirname, "..", "..", "..");
const port = 4_718;

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Math.round(Number(match?.[1] ?? 0) / 1024);
}

export interface IngestBench {
  readonly spansPerSecond: number;
  readonly seconds: number;
  /** The telemetry process's RSS at start, and sampled every 5 s under load. */
  readonly rssMb: number[];
}

export async function benchIngest(seconds = 30): Promise<IngestBench> {
  const child = spawn(process.execPath, [path.join(folders.telemetry, "dist", "main.js")], {
    cwd: repoRoot,
    stdio: "ignore",
    env: { ...process.env, PORT: String(port), LOG_LEVEL: "warn" },
  });
  try {
    const url = `http://127.0.0.1:${port}`;
    for (let tries = 0; ; tries++) {
      const ready = await fetch(`${url}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) break;
      if (tries > 100) throw new Error("the telemetry service did not start");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const rss = [rssMb(child.pid!)];
    const sampler = setInterval(() => rss.push(rssMb(child.pid!)), 5_000);
    const result = await measureIngest({ url, seconds, concurrency: 4, spansPerRequest: 300 });
    clearInterval(sampler);
    rss.push(rssMb(child.pid!));
    return { spansPerSecond: result.spansPerSecond, seconds, rssMb: rss };
  } finally {
    child.kill("SIGTERM");
  }
}

export function writeIngest(result: IngestBench): void {
  writeSection(
    "telemetry-ingest",
    `## Telemetry ingest

OTLP/HTTP JSON exports of 300 spans (whole 12-span checkout traces) posted by 4 senders over
loopback to the built telemetry service, a process of its own with its default bounds (50,000 spans
kept), for ${result.seconds} s. Every span is validated (zod), stored, joined into requests and counted
on the map. Measured ${new Date().toISOString().slice(0, 10)} on ${os.availableParallelism()} cores, Node ${process.version}; the sender shares the cores. Goal: at least 20,000 spans/s with flat memory.

| spans/s sustained | telemetry RSS at start, then every 5 s under load |
| --- | --- |
| ${Math.round(result.spansPerSecond).toLocaleString("en-US")} | ${result.rssMb.map((mb) => `${mb} MB`).join(" → ")} |
`,
  );
}
