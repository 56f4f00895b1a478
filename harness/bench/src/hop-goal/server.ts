/**
 * A server of the hop benchmark in its own process (the hop crosses two processes, as between two
 * services): `server.ts raw|grpc|runtime|wire` (`wire` is the runtime, for a bare client). Tracing starts first when `OTEL_SDK_DISABLED` is not
 * `true`, before the modules it patches load; `HOP_TRUSTED_KEYS` turns the runtime's token check on.
 * Prints `{"address": ...}` once listening; on SIGTERM prints `{"cpuMs": ...}`, the CPU it spent
 * since (serving the client, nothing else), and stops.
 */
import { startServiceTracing } from "@microshop/service-runtime/tracing";
import { shutdownNodeTracing } from "@microshop/tracing/node";

const kind = process.argv[2];
// As a service's process runs it (the runtime makes its own server spans).
startServiceTracing("product");
const servers = await import("./servers");
const server =
  kind === "raw"
    ? await servers.startRawServer()
    : kind === "grpc"
      ? await servers.startGrpcServer()
      : kind === "runtime" || kind === "wire"
        ? await servers.startRuntimeServer(process.env.HOP_TRUSTED_KEYS)
        : undefined;
if (!server) throw new Error(`usage: server.ts raw|grpc|runtime|wire (got ${kind ?? "nothing"})`);
const listening = process.cpuUsage();
process.stdout.write(`${JSON.stringify({ address: server.address })}\n`);
process.once("SIGTERM", () => {
  const cpu = process.cpuUsage(listening);
  process.stdout.write(`${JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1_000 })}\n`);
  void server
    .close()
    .then(() => shutdownNodeTracing())
    .then(() => process.exit(0));
});
