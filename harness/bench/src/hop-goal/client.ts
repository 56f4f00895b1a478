/**
 * The calling side of the hop benchmark in its own process: `client.ts raw|grpc|wire|runtime <address>`
 * makes one call at a time (tinybench) for `HOP_SECONDS` and prints its latency figures as JSON.
 * Tracing starts first, as a calling service runs it, unless `OTEL_SDK_DISABLED=true`; `HOP_SIGNING_KEY`
 * signs our client's calls as "bench". Every answer is checked, so a broken variant fails instead of
 * timing its errors.
 */
import { startServiceTracing } from "@microshop/service-runtime/tracing";
import { shutdownNodeTracing } from "@microshop/tracing/node";

const [kind, address] = process.argv.slice(2);
if (!address) throw new Error("usage: client.ts raw|grpc|wire|runtime <address>");
startServiceTracing("bench");
const { Bench } = await import("tinybench");
const { callerFor } = await import("./callers");
const call = await callerFor(kind ?? "", address, process.env.HOP_SIGNING_KEY);
const seconds = Number(process.env.HOP_SECONDS ?? 3);
const cpuBefore = process.cpuUsage();
const bench = new Bench({ time: seconds * 1_000, warmupTime: 1_000 });
let calls = 0;
bench.add(kind ?? "", () => {
  calls += 1;
  return call.once();
});
await bench.run();
const cpu = process.cpuUsage(cpuBefore);
const result = bench.tasks[0]?.result;
if (!result || result.state !== "completed") throw new Error(`the ${kind ?? ""} hop did not complete`);
// Calls made, warm-up included, for the CPU each one cost (a steadier figure than latency on a busy machine).
process.stdout.write(
  `${JSON.stringify({ p50: result.latency.p50, p99: result.latency.p99, mean: result.latency.mean, samples: result.latency.samplesCount, calls, cpuMs: (cpu.user + cpu.system) / 1_000 })}\n`,
);
await call.close();
await shutdownNodeTracing();
