/**
 * `pnpm start` / `pnpm start:monolith` / `pnpm dev`: runs the whole stack and its control API.
 *
 * Hand-written on purpose: general process managers (pm2, concurrently, foreman-likes) start
 * processes but know nothing of our dependency order, readiness endpoints, per-service SQLite
 * migrations (and the local PostgreSQL of `--db postgres`) or the typed control API the e2e tests and the dashboard drive; the supervisor is the
 * few hundred lines that glue exactly that.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { deriveControlToken, trustedKeysFor } from "@microshop/service-auth";
import { createLoadGenerator } from "@microshop/load-generator";
import { ConfigError } from "@microshop/service-runtime/config";
import { parseCliConfig, usage, type CliConfig } from "./config";
import { startControlApi } from "./control-api";
import { SupervisorControlPlane } from "./control-plane";
import { formatSeconds } from "./managed-process";
import { startStackPostgres, type StackPostgres } from "./postgres";
import { busyPorts } from "./ports";
import { formatOutputLine, formatStateLine } from "./report";
import { buildStack, connectHost, feedSigners, labPaths, missingPrerequisites } from "./stack";
import { Supervisor } from "./supervisor";

/** EX_USAGE from sysexits.h. */
const EXIT_USAGE = 64;

function say(line = ""): void {
  process.stdout.write(`${line}\n`);
}

/** The load generator's few lines (started, stopped, why) go to the terminal with the state lines. */
const loadLogger = { info: (message: string) => say(`load: ${message}`), warn: (message: string) => say(`load: ${message}`) };

function readConfig(): CliConfig {
  try {
    return parseCliConfig(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${error.message}\n\n${usage}`);
    process.exit(EXIT_USAGE);
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  if (config.command === "help") {
    process.stdout.write(usage);
    return;
  }
  const dev = config.command === "dev";
  let postgres: StackPostgres | undefined;
  if (config.db === "postgres") {
    try {
      postgres = await startStackPostgres(config.dataDir, config.postgresPort);
    } catch (error) {
      console.error(`Cannot start PostgreSQL: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    }
  }
  // One root secret per stack, unless given: every process's key and the control token derive from it.
  const rootSecret = process.env.SERVICE_TOKEN_SECRET ?? randomBytes(32).toString("hex");
  const specs = buildStack({
    mode: config.mode,
    dev,
    repoRoot: config.repoRoot,
    dataDir: config.dataDir,
    logLevel: config.logLevel,
    nodeFlags: config.nodeFlags,
    portOffset: config.portOffset,
    host: config.host,
    serviceTokenSecret: rootSecret,
    // Every process follows the control plane's feed, served beside the control API.
    labFeedUrl: `http://${connectHost(config.host)}:${config.supervisorPort}${labPaths.feed}`,
    ...(postgres ? { postgresUrls: postgres.urls } : {}),
    ports: {
      storefront: config.storefrontPort,
      monolith: config.monolithPort,
      telemetry: config.telemetryPort,
      dashboard: config.dashboardPort,
      supervisor: config.supervisorPort,
    },
  });
  const missing = missingPrerequisites(specs);
  const busy = await busyPorts([{ name: "the supervisor API", port: config.supervisorPort }, ...specs]);
  if (missing.length + busy.length > 0) {
    console.error(`Cannot start:\n${[...missing, ...busy].map((problem) => `  - ${problem}`).join("\n")}`);
    if (busy.length > 0)
      console.error("Is another stack still running? Stop it (Ctrl-C) first, or set the port variables (--help).");
    await postgres?.stop();
    process.exit(1);
  }

  const began = performance.now();
  const supervisor = new Supervisor(specs, {
    mode: config.mode,
    onStateChange: (change) => say(formatStateLine({ name: change.process.name, state: change.state, detail: change.detail })),
    ...(config.verbose ? { onOutput: (child, line) => say(formatOutputLine(child.name, line)) } : {}),
  });
  // Whatever happens to us, no child may be left holding a port.
  process.on("exit", () => supervisor.killAllNow());

  const controlToken = deriveControlToken(rootSecret);
  // For an operator's curl: readable by this user only, never printed (the terminal may be recorded).
  const controlTokenFile = path.join(config.dataDir, "control-token");
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(controlTokenFile, `${controlToken}\n`, { mode: 0o600 });
  chmodSync(controlTokenFile, 0o600);
  // The load generator drives the stack's own storefront over loopback; without a storefront the lab runs no load.
  const storefront = specs.find((spec) => spec.kind === "storefront");
  const plane = new SupervisorControlPlane(supervisor, {
    ...(storefront
      ? {
          load: createLoadGenerator({
            storefrontUrl: `http://${connectHost(config.host)}:${storefront.port}`,
            logger: loadLogger,
          }),
        }
      : {}),
  });
  const api = await startControlApi(supervisor, {
    host: config.host,
    port: config.supervisorPort,
    token: controlToken,
    lab: { plane, feed: plane.feed, trustedKeys: trustedKeysFor(rootSecret, feedSigners) },
  });
  say(`Microshop: ${config.mode} mode${dev ? ", watching sources" : ""}; data and logs in ${config.dataDir}`);
  if (postgres) say(`PostgreSQL: one database per service, port ${postgres.port}, cluster in ${postgres.dir}`);

  let shuttingDown = false;
  let firstSignalAt = 0;
  const shutdown = (signal: NodeJS.Signals): void => {
    // One Ctrl-C arrives twice under `pnpm start`: from the terminal and forwarded by pnpm.
    if (shuttingDown && Date.now() - firstSignalAt < 1_000) return;
    if (shuttingDown) {
      say(`${signal} again: killing every process now`);
      supervisor.killAllNow();
      process.exit(1);
    }
    shuttingDown = true;
    firstSignalAt = Date.now();
    say(`\n${signal}: stopping every process (again to kill at once)`);
    void plane
      .close()
      .then(() => supervisor.stopAll())
      .then(() => postgres?.stop())
      .then(() => api.close())
      .then(
        () => {
          say("stopped");
          process.exit(0);
        },
        (error: unknown) => {
          console.error("Shutdown failed:", error);
          process.exit(1);
        },
      );
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
  // A closed terminal would otherwise kill us without an "exit" event, orphaning the children.
  process.on("SIGHUP", shutdown);

  try {
    await supervisor.startAll();
  } catch (error) {
    if (shuttingDown) return;
    shuttingDown = true;
    console.error(`\nStart-up failed: ${error instanceof Error ? error.message : String(error)}`);
    await plane.close();
    await supervisor.stopAll();
    await postgres?.stop();
    await api.close();
    process.exit(1);
  }
  if (shuttingDown) return;

  const dashboard = specs.find((spec) => spec.kind === "dashboard");
  say();
  if (storefront) say(`  Storefront      ${storefront.url}`);
  if (dashboard) say(`  Dashboard       ${dashboard.url}   (watch every request travel)`);
  say(`  Supervisor API  http://localhost:${api.port}/trpc   (token in ${controlTokenFile})`);
  say(`  Control plane   http://localhost:${api.port}${labPaths.controlPlane}   (the same token)`);
  say(`  Logs            ${config.dataDir}/logs`);
  say(`all ready in ${formatSeconds(performance.now() - began)}  (Ctrl-C stops everything)`);
}

await main();
