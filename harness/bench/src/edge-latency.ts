/**
 * What 300 ms on one edge costs a checkout: checkouts placed one at a time with the order service,
 * without and with a latency fault on order → payment (added in the order service's client link
 * before each call to payment goes out), in alternating rounds so that drift spreads over both.
 * The checkouts without the fault, in the same run, are the baseline.
 */
import os from "node:os";
import { checkoutBenchEnv, prepareCheckouts, type Checkouts } from "./checkouts";
import { labClients } from "./lab-clients";
import { percentile, writeSection } from "./report";
import { benchPortOffset, startStack } from "./running-stack";

const latencyMs = 300;
const rounds = 4;
const perRound = 10;

export interface EdgeLatencyResult {
  readonly withoutMs: readonly number[];
  readonly withMs: readonly number[];
  readonly failed: number;
}

async function sequential(checkouts: Checkouts, count: number, samples: number[]): Promise<number> {
  let failed = 0;
  for (let i = 0; i < count; i++) {
    const began = performance.now();
    try {
      await checkouts.place(0);
      samples.push(performance.now() - began);
    } catch {
      failed += 1;
    }
  }
  return failed;
}

export async function benchEdgeLatency(): Promise<EdgeLatencyResult> {
  const stack = await startStack({ portOffset: benchPortOffset, env: checkoutBenchEnv });
  try {
    const { plane } = labClients(stack);
    const checkouts = await prepareCheckouts(stack, "edge-latency", 1);
    await sequential(checkouts, perRound, []);
    const withoutMs: number[] = [];
    const withMs: number[] = [];
    let failed = 0;
    for (let round = 0; round < rounds; round++) {
      failed += await sequential(checkouts, perRound, withoutMs);
      // Answers once every process follows the feed: the next checkout already meets the fault.
      const fault = await plane.setFault.mutate({ target: { kind: "edge", caller: "order", callee: "payment" }, latencyMs });
      failed += await sequential(checkouts, perRound, withMs);
      await plane.clearFault.mutate({ id: fault.id });
    }
    return { withoutMs, withMs, failed };
  } finally {
    await stack.stop();
  }
}

export function edgeLatencySection(result: EdgeLatencyResult): string {
  const row = (label: string, samples: readonly number[]) =>
    `| ${label} | ${percentile(samples, 50).toFixed(0)} ms | ${percentile(samples, 95).toFixed(0)} ms | ${samples.length} |`;
  const added = percentile(result.withMs, 50) - percentile(result.withoutMs, 50);
  return `## 300 ms on order → payment

Checkouts placed one at a time with the order service (the whole saga), ${rounds} rounds of ${perRound} without a
fault and ${perRound} with \`{ target: { kind: "edge", caller: "order", callee: "payment" }, latencyMs: ${latencyMs} }\`
(set and cleared through the control plane between rounds; the order service's client link waits
before each call to payment goes out). Without the fault, in the same run, is the baseline;
${result.failed} checkouts failed. Measured ${new Date().toISOString().slice(0, 10)} on ${os.availableParallelism()} cores, Node ${process.version}.

| checkout | p50 | p95 | checkouts |
| --- | --- | --- | --- |
${row("no fault", result.withoutMs)}
${row(`+${latencyMs} ms on order → payment`, result.withMs)}

The fault adds ${added.toFixed(0)} ms to the median checkout (${(added / latencyMs).toFixed(2)}× the ${latencyMs} ms set on the edge): a paid checkout
calls payment once, to charge the card, and the saga waits for that answer before it goes on.`;
}

export function writeEdgeLatency(result: EdgeLatencyResult): void {
  writeSection("edge-latency", edgeLatencySection(result));
}
