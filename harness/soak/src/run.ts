/**
 * One soak run, start to end: stack up, shoppers, kills and lab actions (scales, rolling deploys)
 * together, load stops, recovery settles, stack down, invariants read from the databases. The stack
 * is stopped whatever happens.
 */
import { randomInt } from "node:crypto";
import { seededRandom } from "@microshop/shopper/random";
import { runChaos, type Kill } from "./chaos";
import type { SoakConfig } from "./config";
import { calmCounts, checkoutCounts, failureKinds, killFigures, labCounts, labFigures, outageCounts } from "./figures";
import { checkDataDir, seedFacts, type CheckResult } from "./invariants/checker";
import { describeAction, runLab, type LabRecord } from "./lab";
import { Load, type LoadResult } from "./load";
import { ServiceLocks } from "./locks";
import type { SoakReport } from "./report";
import { countOutcomes, RequestLog } from "./request-log";
import { waitForSettle } from "./settle";
import { startSmtpSink } from "./smtp-sink";
import { startStack } from "./stack";

/** Kills stop this long before the load ends, so that the last outage is measured under load. */
const quietEndMs = 8_000;

function say(line: string): void {
  process.stdout.write(`[soak] ${line}\n`);
}

function shopperChecks(
  config: SoakConfig,
  log: RequestLog,
  load: LoadResult,
  kills: readonly Kill[],
  lab: readonly LabRecord[],
  pending: readonly string[],
): CheckResult[] {
  const hung = log.records.filter((record) => record.outcome === "hung");
  const paid = load.checkouts.filter((checkout) => checkout.outcome === "paid").length;
  return [
    {
      name: `no shopper request hung past its ${config.requestTimeoutMs / 1000} s timeout`,
      violations: hung.map(
        (record) => `${record.path} sent at ${new Date(record.startedAt).toISOString()} got no complete answer`,
      ),
    },
    {
      name: "every killed service came back by itself",
      violations: kills
        .filter((kill) => kill.readyAt === null)
        .map((kill) => `${kill.process} was not ready again within 60 s of its kill`),
    },
    {
      name: "every scale and rolling deploy took effect",
      violations: lab
        .filter((record) => record.error !== null)
        .map((record) => `${describeAction(record.action)}: ${record.error}`),
    },
    {
      name: "recovery settled after the load: no saga midway, both outboxes drained",
      violations: pending.map((what) => `after ${config.settleTimeoutMs / 1000} s: ${what}`),
    },
    {
      name: "the shoppers really shopped: paid checkouts, no journey broken by the soak itself",
      violations: [
        ...(paid === 0 ? ["not one checkout was paid"] : []),
        ...load.journeyCrashes.map((crash) => `journey crashed: ${crash.split("\n", 1)[0]}`),
      ],
    },
  ];
}

export async function runSoak(config: SoakConfig, command: string, stopSignal: AbortSignal): Promise<SoakReport> {
  const seed = config.seed ?? randomInt(1, 2 ** 31 - 1);
  const random = seededRandom(seed);
  say(`starting the stack (ports +${config.portOffset}, data in ${config.dataDir})`);
  // Every confirmation goes over real SMTP to a sink on loopback that counts deliveries per email.
  const smtp = await startSmtpSink();
  let stack;
  try {
    // The shoppers' requests carry their own X-Forwarded-For: the soak stands in for the one proxy
    // in front of the storefront, so the per-client limits see thousands of shoppers, not one.
    stack = await startStack({
      repoRoot: config.repoRoot,
      dataDir: config.dataDir,
      portOffset: config.portOffset,
      env: { SMTP_URL: smtp.url, TRUSTED_PROXY_HOPS: "1" },
    });
  } catch (error) {
    await smtp.close();
    throw error;
  }
  const log = new RequestLog();
  let load: LoadResult;
  let kills: Kill[];
  let lab: LabRecord[];
  let settle: { settledMs: number; pending: string[] };
  const runStartedAt = Date.now();
  try {
    say(
      `stack ready: ${config.durationMs / 1000} s of shoppers at ${config.journeysPerSecond}/s, a kill about every ${config.killEveryMs / 1000} s, a scale or deploy about every ${config.labEveryMs / 1000} s (seed ${seed})`,
    );
    const chaosStop = new AbortController();
    const shoppers = new Load({
      baseUrl: stack.storefrontUrl,
      durationMs: config.durationMs,
      journeysPerSecond: config.journeysPerSecond,
      maxConcurrentJourneys: config.maxConcurrentJourneys,
      requestTimeoutMs: config.requestTimeoutMs,
      log,
      random,
      stopSignal,
    });
    const lastActionBefore = runStartedAt + config.durationMs - quietEndMs;
    const chaosSignal = AbortSignal.any([stopSignal, chaosStop.signal]);
    const at = (epochMs: number) => `${((epochMs - runStartedAt) / 1000).toFixed(0)} s`;
    // The two lanes never act on the same service at once: a kill waits out a deploy, and back.
    const locks = new ServiceLocks();
    const chaos = runChaos({
      control: stack.control,
      killEveryMs: config.killEveryMs,
      lastKillBefore: lastActionBefore,
      random,
      checkoutsInFlight: () => shoppers.checkoutsInFlight,
      locks,
      stopSignal: chaosSignal,
      onKill: (kill) =>
        say(
          `killed ${kill.process} (of ${kill.replicas}) at ${at(kill.killedAt)} (${kill.checkoutsInFlight} checkouts in flight); ready again after ${kill.readyAt === null ? "never" : `${((kill.readyAt - kill.killedAt) / 1000).toFixed(1)} s`}`,
        ),
    });
    const labLane = runLab({
      plane: stack.plane,
      locks,
      everyMs: config.labEveryMs,
      lastActionBefore,
      random: seededRandom(seed + 1),
      stopSignal: chaosSignal,
      onAction: (record) =>
        say(
          `${describeAction(record.action)} at ${at(record.startedAt)}: ${record.change} in ${((record.endedAt - record.startedAt) / 1000).toFixed(1)} s${record.calls ? `, ${record.calls.failed} of ${record.calls.ok + record.calls.failed} calls failed` : ""}${record.error ? `; did not take effect: ${record.error}` : ""}`,
        ),
    });
    load = await shoppers.run();
    chaosStop.abort();
    [kills, lab] = await Promise.all([chaos, labLane]);
    say(
      `load stopped: ${load.journeysStarted} journeys, ${log.records.length} requests; waiting for recovery to settle (at most ${config.settleTimeoutMs / 1000} s)`,
    );
    settle = await waitForSettle(config.dataDir, config.settleTimeoutMs);
  } finally {
    say("stopping the stack");
    await stack.stop();
    await smtp.close();
  }

  const figures = killFigures(kills, log, load.checkouts, runStartedAt);
  const actions = labFigures(lab, kills, log, runStartedAt);
  const checks = [
    ...shopperChecks(config, log, load, kills, lab, settle.pending),
    ...checkDataDir(config.dataDir, { ...seedFacts(), checkoutAttempts: load.checkouts, smtpDeliveries: smtp.deliveries }),
  ];
  return {
    command,
    seed,
    durationSeconds: config.durationMs / 1000,
    journeysPerSecond: config.journeysPerSecond,
    journeysStarted: load.journeysStarted,
    journeysSkipped: load.journeysSkipped,
    requests: countOutcomes(log.records),
    failureKinds: failureKinds(log.records),
    calm: calmCounts(kills, lab, log),
    outage: outageCounts(figures),
    during: labCounts(actions),
    checkouts: checkoutCounts(load.checkouts),
    kills: figures,
    lab: actions,
    settledMs: settle.settledMs,
    checks,
  };
}
