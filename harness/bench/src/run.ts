/* eslint-disable no-console -- a benchmark prints its figures */
// `pnpm bench` runs every benchmark; `pnpm bench ingest overhead` runs the ones named
// (`pnpm bench deploys scale-out edge-latency`: the lab's figures; `pnpm bench memory overhead`: memory and tracing).
import { benchCheckout, checkoutSummary, writeCheckout } from "./checkout";
import { benchClickToParticle, writeClickToParticle } from "./click-to-particle";
import { benchDashboardFrames, writeDashboardFrames } from "./dashboard-frames";
import { benchDeploys, writeDeploys } from "./deploys";
import { benchEdgeLatency, writeEdgeLatency } from "./edge-latency";
import { benchServiceHop, hopSection } from "./hop";
import { benchHopGoal, hopGoalSection, roundsMedian } from "./hop-goal/goal";
import { benchIngest, writeIngest } from "./ingest";
import { benchMemory, writeMemory, type ProcessMemory } from "./memory";
import { benchPages, writePages } from "./pages";
import { benchmarksFile, percentile, writeSection } from "./report";
import { benchScaleOut, writeScaleOut } from "./scale-out";
import { benchStartup, writeStartupSection } from "./startup";
import { benchTracingOverhead, cpuRows, writeTracingOverhead } from "./tracing-overhead";

const benchmarks: Record<string, () => Promise<void>> = {
  hop: async () => {
    const goal = await benchHopGoal();
    console.table(
      Object.entries(goal.variants).map(([variant, rounds]) => ({
        variant,
        "p50 ms": roundsMedian(rounds, (l) => l.p50).toFixed(3),
        "p99 ms": roundsMedian(rounds, (l) => l.p99).toFixed(3),
        "CPU ms/call": roundsMedian(rounds, (l) => l.cpuPerCall).toFixed(3),
      })),
    );
    writeSection("hop-goal", hopGoalSection(goal));
    const hop = await benchServiceHop();
    console.table(
      hop.map((r) => ({
        variant: r.name,
        "p50 ms": r.p50.toFixed(3),
        "p99 ms": r.p99.toFixed(3),
        "calls/s": Math.round(r.perSecond),
      })),
    );
    writeSection("service-hop", hopSection(hop));
  },
  startup: async () => {
    const startup = await benchStartup();
    console.table(
      startup.map((r) => ({
        mode: r.mode,
        "cold s": r.cold.readySeconds,
        "warm s": r.warm.readySeconds,
        processes: r.warm.processes,
        "RSS MB": r.warm.rssMb,
      })),
    );
    writeStartupSection(startup);
  },
  memory: async () => {
    const memory = await benchMemory();
    const total = (processes: readonly ProcessMemory[]) => Math.round(processes.reduce((sum, p) => sum + p.rssMb, 0));
    console.table(
      Object.entries(memory).map(([flags, m]) => ({
        flags,
        "idle RSS MB": total(m.idle),
        "under load RSS MB": total(m.underLoad),
      })),
    );
    writeMemory(memory);
  },
  ingest: async () => {
    const ingest = await benchIngest();
    console.table(ingest.runs);
    console.log(`RSS MB: ${ingest.rssMb.join(" → ")}`);
    writeIngest(ingest);
  },
  "click-to-particle": async () => {
    const result = await benchClickToParticle();
    console.table([{ samples: result.samplesMs.length, ms: result.samplesMs.join(" ") }]);
    writeClickToParticle(result);
  },
  frames: async () => {
    const frames = await benchDashboardFrames();
    console.table(frames);
    writeDashboardFrames(frames);
  },
  overhead: async () => {
    const overhead = await benchTracingOverhead();
    console.table(
      overhead.flatMap((result) =>
        Object.entries(result.runs).flatMap(([variant, runs]) =>
          runs.map((t) => ({
            node: result.runtime.version,
            tracing: variant,
            pagesPerSecond: t.pagesPerSecond,
            checkoutsPerSecond: t.checkoutsPerSecond,
            failed: t.failed,
          })),
        ),
      ),
    );
    for (const result of overhead) {
      console.log(`CPU ms per run, ${result.runtime.version}`);
      console.table(
        cpuRows(result).map((row) => ({ ...row, off: row.off.toFixed(1), on: row.on.toFixed(1), added: row.added.toFixed(1) })),
      );
    }
    writeTracingOverhead(overhead);
  },
  deploys: async () => {
    const result = await benchDeploys();
    console.table(
      result.deploys.map((d) => ({
        service: d.service,
        "took s": d.seconds.toFixed(1),
        "calls failed": `${d.calls.failed}/${d.calls.ok + d.calls.failed}`,
        "journeys failed": `${d.load.failed}/${d.load.journeys}`,
      })),
    );
    console.log(
      `baseline: ${result.calm.failed}/${result.calm.journeys} journeys failed in ${result.calm.seconds} s without a deploy`,
    );
    writeDeploys(result);
  },
  "scale-out": async () => {
    const result = await benchScaleOut();
    console.table(result.runs);
    console.log(
      `scaled in ${result.scaleSeconds.toFixed(1)} s; other processes with a new pid: ${result.othersChanged.join(", ") || "none"}`,
    );
    writeScaleOut(result);
  },
  checkout: async () => {
    const result = await benchCheckout();
    console.table(
      Object.values(result.modes).map((mode) => ({
        mode: mode.mode,
        "p50 ms": percentile(mode.sequentialMs, 50).toFixed(0),
        "p95 ms": percentile(mode.sequentialMs, 95).toFixed(0),
        "p50 ms, 4 at once": percentile(mode.concurrentMs, 50).toFixed(0),
        "calls on the critical path": mode.path?.onPath.length ?? "-",
        failed: mode.failed.length,
      })),
    );
    const { sequentialRatio, concurrentRatio } = checkoutSummary(result);
    console.log(
      `microservices / monolith p50: ${sequentialRatio.toFixed(2)}× one at a time, ${concurrentRatio.toFixed(2)}× at once`,
    );
    writeCheckout(result);
  },
  pages: async () => {
    const result = await benchPages();
    console.table(result.runs.map(({ cpuMsPerView: _cpu, ...run }) => run));
    console.table(result.firstLoads);
    writePages(result);
  },
  "edge-latency": async () => {
    const result = await benchEdgeLatency();
    console.table([
      { checkout: "no fault", "p50 ms": percentile(result.withoutMs, 50).toFixed(0), n: result.withoutMs.length },
      { checkout: "+300 ms order → payment", "p50 ms": percentile(result.withMs, 50).toFixed(0), n: result.withMs.length },
    ]);
    writeEdgeLatency(result);
  },
};

const chosen = process.argv.slice(2).filter((arg) => arg !== "--");
for (const name of chosen)
  if (!(name in benchmarks)) throw new Error(`No benchmark "${name}"; there are: ${Object.keys(benchmarks).join(", ")}`);
for (const [name, run] of Object.entries(benchmarks)) {
  if (chosen.length > 0 && !chosen.includes(name)) continue;
  console.log(`\n=== ${name} ===`);
  await run();
}
console.log(`written to ${benchmarksFile}`);
