// A graceful exit flushes the spans still buffered: the requests served while draining are on the
// map too. The export delay is set far beyond the test, so only the flush at exit can send them.
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterEach, expect, it } from "vitest";

// tsx as a loader inside the one process, not its CLI: the CLI runs the program in a child of its
// own and relays signals to it, and the test is about this process's own handler.
const tsx = createRequire(import.meta.url).resolve("tsx");
const fixture = path.join(import.meta.dirname, "test-fixtures", "traced-echo-service.ts");
const closers: Array<() => void> = [];
afterEach(() => closers.splice(0).forEach((close) => close()));

/** Stands in for the telemetry service: counts the OTLP trace exports it receives. */
async function otlpRecorder(): Promise<{ url: string; exports: () => number }> {
  let exports = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      if (req.method === "POST" && req.url === "/v1/traces") exports += 1;
      res.writeHead(200, { "content-type": "application/x-protobuf" }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => server.close());
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, exports: () => exports };
}

it("exports the buffered spans on SIGTERM before it exits", async () => {
  const recorder = await otlpRecorder();
  const { OTEL_SDK_DISABLED: _disabled, ...env } = process.env;
  const child = spawn(process.execPath, ["--import", tsx, fixture], {
    env: {
      ...env,
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "info",
      OTEL_EXPORTER_OTLP_ENDPOINT: recorder.url,
      OTEL_BSP_SCHEDULE_DELAY: "600000",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  closers.push(() => child.kill("SIGKILL"));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  let url: string | undefined;
  for await (const line of createInterface({ input: child.stdout })) {
    const entry = JSON.parse(line) as { msg?: string; url?: string };
    if (entry.msg === "listening") {
      url = entry.url;
      break;
    }
  }
  const answer = await fetch(`${url}/trpc/echo`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ json: { text: "hi" } }),
  });
  expect(answer.status).toBe(200);
  child.kill("SIGTERM");
  expect(await exited).toBe(0);
  expect(recorder.exports()).toBeGreaterThan(0);
});
