// A stand-in child process for the supervisor's tests: listens on PORT, answers /readyz, and
// misbehaves on demand. Plain JavaScript so that node starts it in milliseconds.
import { appendFileSync, existsSync } from "node:fs";
import { createServer } from "node:http";
import process from "node:process";

const env = process.env;
// A replica the control plane starts is told its own name; the first one is named by its spec.
const name = env.SERVICE_INSTANCE_ID ?? env.FAKE_NAME ?? "fake";
const startedAt = Date.now();
const readyDelayMs = Number(env.FAKE_READY_DELAY_MS ?? 0);

/** @param {string} event */
function record(event) {
  if (env.FAKE_EVENTS_FILE) appendFileSync(env.FAKE_EVENTS_FILE, `${event} ${name} ${process.pid}\n`);
}

// Crash at start-up until the marker file exists: a process that fails a few times, then recovers.
if (env.FAKE_CRASH_UNTIL_FILE && !existsSync(env.FAKE_CRASH_UNTIL_FILE)) {
  record("crash");
  process.exit(Number(env.FAKE_EXIT_CODE ?? 1));
}
if (env.FAKE_CRASH_ALWAYS === "1") {
  record("crash");
  process.exit(Number(env.FAKE_EXIT_CODE ?? 1));
}

const server = createServer((req, res) => {
  if (req.url === "/readyz") {
    const ready = Date.now() - startedAt >= readyDelayMs;
    res.writeHead(ready ? 200 : 503, { "content-type": "application/json" });
    res.end(JSON.stringify({ status: ready ? "ready" : "not ready" }));
    return;
  }
  res.writeHead(200, { "content-type": "text/plain" });
  res.end(name);
});
server.listen(Number(env.PORT), "127.0.0.1", () => {
  record("start");
  process.stdout.write(`${name} listening on ${env.PORT}\n`);
});

process.on("SIGTERM", () => {
  record("sigterm");
  if (env.FAKE_IGNORE_SIGTERM === "1") return;
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
