/**
 * A contract-exact stand-in for the telemetry service, for working on the dashboard alone:
 * `PORT=4418 pnpm dev:telemetry [--traffic 300]` serves /trpc and /v1/traces (OTLP JSON); with
 * `--traffic N` it feeds itself N synthetic spans per second.
 */
import { startSyntheticTraffic } from "../src/bench/synthetic-traffic";
import { startContractTelemetry } from "../src/testing/contract-telemetry-server";

const telemetry = await startContractTelemetry(Number(process.env.PORT ?? 4418));
console.warn(`contract telemetry: tRPC ${telemetry.url}, OTLP ${telemetry.otlpUrl}`);
const trafficFlag = process.argv.indexOf("--traffic");
if (trafficFlag >= 0) {
  const traffic = startSyntheticTraffic({ otlpUrl: telemetry.otlpUrl, spansPerSecond: Number(process.argv[trafficFlag + 1] ?? 200) });
  const stop = () => void traffic.stop().then(() => process.exit(0));
  process.once("SIGINT", stop).once("SIGTERM", stop);
}
