/**
 * Sends synthetic shop traces to a telemetry service until Ctrl-C:
 * `pnpm traffic [otlpUrl] [spansPerSecond]`, defaults http://127.0.0.1:4318/v1/traces and 200.
 */
import { startSyntheticTraffic } from "@microshop/otlp-fixtures";

const otlpUrl = process.argv[2] ?? "http://127.0.0.1:4318/v1/traces";
const spansPerSecond = Number(process.argv[3] ?? 200);
const traffic = startSyntheticTraffic({ otlpUrl, spansPerSecond });
console.warn(`sending ~${spansPerSecond} spans/s to ${otlpUrl}; Ctrl-C stops`);
const report = setInterval(() => console.warn(JSON.stringify(traffic.stats())), 5_000);
const stop = () => {
  clearInterval(report);
  void traffic.stop().then(() => process.exit(0));
};
process.once("SIGINT", stop).once("SIGTERM", stop);
