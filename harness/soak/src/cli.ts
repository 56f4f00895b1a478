/**
 * `pnpm soak` (3 minutes) and `pnpm soak:short` (the CI version). Needs a built tree: the root
 * scripts build first. Exit 0 when every invariant holds, 1 on any violation or failure, 64 on bad
 * usage.
 */
import { rmSync } from "node:fs";
import { parseSoakConfig, SoakConfigError, usage, type SoakConfig } from "./config";
import { formatReport } from "./report";
import { runSoak } from "./run";

function readConfig(): SoakConfig {
  try {
    return parseSoakConfig(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof SoakConfigError)) throw error;
    console.error(`${error.message}\n\n${usage}`);
    process.exit(64);
  }
}

const config = readConfig();
if (config.help) {
  process.stdout.write(usage);
  process.exit(0);
}

const stop = new AbortController();
let interrupted = false;
const onSignal = (signal: NodeJS.Signals) => {
  if (interrupted) {
    console.error(`${signal} again: exiting now`);
    process.exit(130);
  }
  interrupted = true;
  console.error(`\n${signal}: stopping the shoppers and the stack (again to exit at once)`);
  stop.abort();
};
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);

const command = `MICROSHOP_PORT_OFFSET=${config.portOffset} pnpm soak ${process.argv.slice(2).join(" ")}`.trim();
try {
  const report = await runSoak(config, command, stop.signal);
  process.stdout.write(`${formatReport(report)}\n`);
  const failed = report.checks.some((check) => check.violations.length > 0) || interrupted;
  if (!failed && !config.keepData) rmSync(config.dataDir, { recursive: true, force: true });
  else process.stdout.write(`data and logs kept in ${config.dataDir}\n`);
  process.exit(failed ? 1 : 0);
} catch (error) {
  console.error(`soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  console.error(`data and logs kept in ${config.dataDir}`);
  process.stdout.write("soak: 0 passed, 1 failed\n");
  process.exit(1);
}
