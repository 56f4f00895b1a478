/**
 * The real telemetry service, started in this process, for working on the dashboard without the
 * whole stack: `PORT=4418 pnpm dev:telemetry [--traffic 300]` serves /trpc and /v1/traces (OTLP);
 * with `--traffic N` it is fed N synthetic spans per second.
 */
import { startSyntheticTraffic, type SyntheticTraffic } from "@microshop/otlp-fixtures";
import { startTelemetry } from "../src/testing/telemetry-server";

const telemetry = await startTelemetry({ port: Number(process.env.PORT ?? 4418), logLevel: "info" });
console.warn(`telemetry service: tRPC ${telemetry.url}, OTLP ${telemetry.otlpUrl}`);
const trafficFlag = process.argv.indexOf("--traffic");
const traffic: SyntheticTraffic | undefined =
  trafficFlag >= 0
    ? startSyntheticTraffic({ otlpUrl: telemetry.otlpUrl, spansPerSecond: Number(process.argv[trafficFlag + 1] ?? 200) })
    : undefined;
// Stop the traffic first, so its last posts are answered, then close the service gracefully.
const stop = () => void (traffic?.stop() ?? Promise.resolve()).then(() => telemetry.close()).then(() => process.exit(0));
process.once("SIGINT", stop).once("SIGTERM", stop);
