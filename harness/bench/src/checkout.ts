/**
 * What the microservices cost a shopper's checkout: the same checkouts through the storefront's BFF
 * (`checkout.place`, as the checkout page sends it) against a microservices stack and a monolith
 * stack started in one run, side by side on ports of their own. The monolith, in the same run, is
 * the baseline: the goal is a microservices p50 at most twice the monolith's. Checkouts go one at a
 * time in alternating rounds (so drift on a shared machine spreads over both), then a few shoppers
 * at once. Every sequential checkout is tagged with a test id, and its trace, read back from each
 * stack's telemetry service, gives the critical path: the calls a checkout waits for one after the
 * other, and those that already run at the same time.
 */
import os from "node:os";
import { fixtures, products } from "@microshop/seed-data/catalog";
import { credentialsOf, SERVICE_TOKEN_HEADER, serviceTokenSigner } from "@microshop/service-auth";
import { BffClient } from "@microshop/shopper/bff-client";
import { addToCart, placeOrder, signUp } from "@microshop/shopper/steps";
import type { TelemetryRouter } from "@microshop/telemetry-service/router";
import { testIdBaggage } from "@microshop/tracing/test-id";
import { transformer } from "@microshop/transformer";
import { createTRPCClient, httpLink } from "@trpc/client";
import { checkoutBenchEnv } from "./checkouts";
import { concurrentGroups, criticalPath, descendantsOf, hopsOf, type Hop } from "./critical-path";
import { percentile, writeSection } from "./report";
import { benchPortOffset, startStack, type RunningStack } from "./running-stack";

type Mode = "microservices" | "monolith";
type FullTrace = Awaited<ReturnType<ReturnType<typeof telemetryClient>["traces"]["get"]["query"]>>;

const rounds = 4;
const perRound = 10;
const warmUp = 5;
/** Shoppers checking out at the same time, each placing `concurrentEach` checkouts one after the other. */
const concurrentShoppers = 4;
const concurrentEach = 5;
/** Two lines per checkout, so the reservation of several items and the price look-up show as what they are. */
const linesPerCheckout = 2;

export interface ModeResult {
  readonly mode: Mode;
  readonly sequentialMs: number[];
  readonly concurrentMs: number[];
  readonly failed: string[];
  /** The critical path of the trace of median duration among the sequential checkouts. */
  readonly path: TracedCheckout | null;
  /** How many traces were read back, and the median count of calls on their critical paths. */
  readonly traced: number;
  readonly medianHopsOnPath: number;
}

export interface TracedCheckout {
  readonly durationMs: number;
  readonly onPath: Hop[];
  readonly allHops: Hop[];
  readonly concurrent: Hop[][];
}

export interface CheckoutBenchResult {
  readonly modes: Record<Mode, ModeResult>;
}

/** Products the e2e suite and the demos do not count on, most stocked first: a run buys ~130 units of 20. */
const buyable = products
  .filter((product) => !(Object.values(fixtures) as string[]).includes(product.slug))
  .sort((a, b) => b.initialStock - a.initialStock)
  .slice(0, 20);

/** A shopper of one stack: its own BFF client (cookie jar, address) and, for sequential ones, a test id. */
class Shopper {
  private checkouts = 0;
  private constructor(
    readonly client: BffClient,
    private readonly label: string,
  ) {}

  static async signUp(stack: RunningStack, label: string, index: number, testId?: string): Promise<Shopper> {
    const client = new BffClient({
      baseUrl: stack.storefrontUrl,
      clientAddress: `10.77.${index}.${1 + Math.floor(Math.random() * 250)}`,
      timeoutMs: 60_000,
      ...(testId ? { headers: { baggage: testIdBaggage(testId) } } : {}),
    });
    const email = `bench-checkout-${label}-${index}-${Date.now()}@example.com`;
    const signed = await signUp(client, { name: "Bench Shopper", email });
    if (!signed.ok) throw new Error(`sign-up failed on ${stack.storefrontUrl}: ${signed.code} ${signed.message}`);
    return new Shopper(client, `${label}-${index}`);
  }

  /** Fills the cart (not timed), then times `checkout.place` until its answer; rejects unless paid. */
  async checkout(pick: number): Promise<number> {
    for (let line = 0; line < linesPerCheckout; line++) {
      const product = buyable[(pick * linesPerCheckout + line) % buyable.length]!;
      const added = await addToCart(this.client, product.id, 1);
      if (!added.ok) throw new Error(`cart.add failed: ${added.code} ${added.message}`);
    }
    this.checkouts += 1;
    const began = performance.now();
    const answer = await placeOrder(this.client, {
      checkoutKey: `bench-checkout-${this.label}-${this.checkouts}-${Date.now()}`,
      card: "success",
      holderName: "Bench Shopper",
      random: Math.random,
      followMs: 0,
    });
    const took = performance.now() - began;
    if (!answer.ok) throw new Error(`checkout.place: ${answer.code} ${answer.message}`);
    if (answer.data.status !== "paid") throw new Error(`checkout ended ${answer.data.status}`);
    return took;
  }
}

function telemetryClient(stack: RunningStack) {
  // The dashboard is the telemetry service's one caller: the bench reads it as the dashboard does.
  const sign = serviceTokenSigner(credentialsOf(stack.serviceTokenSecret, "dashboard"), "telemetry");
  return createTRPCClient<TelemetryRouter>({
    links: [
      httpLink({
        url: `${stack.telemetryUrl}/trpc`,
        transformer,
        headers: async () => ({ [SERVICE_TOKEN_HEADER]: await sign() }),
      }),
    ],
  });
}

const isPlace = (trace: FullTrace) =>
  trace.spans.some((span) => span.kind === "client" && span.attributes["rpc.method"] === "orders.place");
/** Whole once the saga's last step, the commit of the stock, is in: every process exports on its own. */
const isWhole = (trace: FullTrace) =>
  isPlace(trace) && trace.spans.some((span) => span.kind === "client" && span.attributes["rpc.method"] === "reservations.commit");

/** The checkouts' traces of one test id, once `expected` of them are whole (or 30 s went by). */
async function checkoutTraces(stack: RunningStack, testId: string, expected: number): Promise<FullTrace[]> {
  const telemetry = telemetryClient(stack);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const summaries = await telemetry.traces.list.query({ testId, limit: 500 });
    const traces = (await Promise.all(summaries.map((s) => telemetry.traces.get.query({ traceId: s.traceId })))).filter(isWhole);
    if (traces.length >= expected || Date.now() > deadline) return traces;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The storefront's span of the `checkout.place` request: what the shopper waited for. */
function placeRoot(trace: FullTrace) {
  const ids = new Set(trace.spans.map((span) => span.spanId));
  return trace.spans.find((span) => !span.parentSpanId || !ids.has(span.parentSpanId)) ?? trace.spans[0]!;
}

function analyse(trace: FullTrace): TracedCheckout {
  const root = placeRoot(trace);
  const under = descendantsOf(trace.spans, root);
  // The confirmation email leaves through the outbox after the answer: it is in the trace, not in the wait.
  const answered = root.startMs + root.durationMs;
  const allHops = hopsOf(under, trace.spans).filter((hop) => hop.startMs < answered);
  return {
    durationMs: root.durationMs,
    onPath: hopsOf(criticalPath(trace.spans, root), trace.spans),
    allHops,
    concurrent: concurrentGroups(allHops),
  };
}

interface Side {
  readonly mode: Mode;
  readonly stack: RunningStack;
  readonly testId: string;
  readonly sequential: Shopper;
  readonly concurrent: Shopper[];
  readonly sequentialMs: number[];
  readonly concurrentMs: number[];
  readonly failed: string[];
  picks: number;
}

async function prepare(mode: Mode, stack: RunningStack): Promise<Side> {
  const testId = `bench-checkout-${mode}-${Date.now().toString(36)}`;
  const sequential = await Shopper.signUp(stack, mode, 0, testId);
  const concurrent = await Promise.all(
    Array.from({ length: concurrentShoppers }, (_, i) => Shopper.signUp(stack, `${mode}-c`, i + 1)),
  );
  const side: Side = { mode, stack, testId, sequential, concurrent, sequentialMs: [], concurrentMs: [], failed: [], picks: 0 };
  // Warm both stacks alike (JIT, connection pools, SQLite pages) before anything is counted.
  for (let i = 0; i < warmUp; i++) await sequential.checkout(side.picks++);
  return side;
}

async function runSequential(side: Side, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    try {
      side.sequentialMs.push(await side.sequential.checkout(side.picks++));
    } catch (error) {
      side.failed.push(`sequential: ${(error as Error).message}`);
    }
  }
}

async function runConcurrent(side: Side): Promise<void> {
  await Promise.all(
    side.concurrent.map(async (shopper) => {
      for (let i = 0; i < concurrentEach; i++) {
        try {
          side.concurrentMs.push(await shopper.checkout(side.picks++));
        } catch (error) {
          side.failed.push(`concurrent: ${(error as Error).message}`);
        }
      }
    }),
  );
}

async function resultOf(side: Side): Promise<ModeResult> {
  const expected = side.sequentialMs.length + warmUp;
  const analysed = (await checkoutTraces(side.stack, side.testId, expected))
    .map(analyse)
    .sort((a, b) => a.durationMs - b.durationMs);
  const median = analysed[Math.floor(analysed.length / 2)] ?? null;
  return {
    mode: side.mode,
    sequentialMs: side.sequentialMs,
    concurrentMs: side.concurrentMs,
    failed: side.failed,
    path: median,
    traced: analysed.length,
    medianHopsOnPath: percentile(
      analysed.map((checkout) => checkout.onPath.length),
      50,
    ),
  };
}

export async function benchCheckout(): Promise<CheckoutBenchResult> {
  const env = { ...checkoutBenchEnv, TRUSTED_PROXY_HOPS: "1" };
  // One after the other: two stacks starting at once on 2 cores only slow each other down.
  const micro = await startStack({ mode: "microservices", portOffset: benchPortOffset, env });
  let mono: RunningStack | undefined;
  try {
    mono = await startStack({ mode: "monolith", portOffset: benchPortOffset + 100, env });
    const sides = [await prepare("microservices", micro), await prepare("monolith", mono)];
    for (let round = 0; round < rounds; round++) {
      // Alternate who goes first, so neither always follows the other's burst of writes.
      for (const side of round % 2 === 0 ? sides : [...sides].reverse()) await runSequential(side, perRound);
    }
    for (const side of sides) await runConcurrent(side);
    const [microResult, monoResult] = [await resultOf(sides[0]!), await resultOf(sides[1]!)];
    return { modes: { microservices: microResult, monolith: monoResult } };
  } finally {
    await mono?.stop();
    await micro.stop();
  }
}

const ms = (value: number) => `${value.toFixed(0)} ms`;

function hopLabel(hop: Hop): string {
  return `${hop.caller} → ${hop.callee} \`${hop.method}\`${hop.network ? "" : " (in-process)"}`;
}

function pathTable(path: TracedCheckout): string {
  const rows = path.onPath.map(
    (hop, i) => `| ${i + 1} | ${hopLabel(hop)} | ${ms(hop.durationMs)} | ${ms(hop.selfMs)} | ${ms(hop.dbMs)} |`,
  );
  return [
    "| # | call on the critical path | took | outside the calls below it | of which in the callee's database |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

function concurrentLine(path: TracedCheckout | null): string {
  if (!path || path.concurrent.length === 0) return "none: every call waits for the one before it";
  return path.concurrent.map((group) => group.map((hop) => `\`${hop.method}\``).join(" ∥ ")).join("; ");
}

export function checkoutSummary(result: CheckoutBenchResult) {
  const { microservices: micro, monolith: mono } = result.modes;
  return {
    sequentialRatio: percentile(micro.sequentialMs, 50) / percentile(mono.sequentialMs, 50),
    concurrentRatio: percentile(micro.concurrentMs, 50) / percentile(mono.concurrentMs, 50),
  };
}

export function checkoutSection(result: CheckoutBenchResult): string {
  const { microservices: micro, monolith: mono } = result.modes;
  const { sequentialRatio, concurrentRatio } = checkoutSummary(result);
  const row = (label: string, samples: readonly number[]) =>
    `| ${label} | ${ms(percentile(samples, 50))} | ${ms(percentile(samples, 95))} | ${samples.length} |`;
  const networkOnPath = (mode: ModeResult) => mode.path?.onPath.filter((hop) => hop.network).length ?? 0;
  const failures = [...micro.failed.map((f) => `microservices ${f}`), ...mono.failed.map((f) => `monolith ${f}`)];
  return `## Checkout: microservices against the monolith

\`pnpm bench checkout\`: a microservices stack and a monolith stack started in one run (ports
${benchPortOffset} and ${benchPortOffset + 100} above the defaults), the same checkouts through each storefront's BFF
(\`checkout.place\` with ${linesPerCheckout} lines, the cart filled beforehand and not timed, the test card that pays):
${rounds} alternating rounds of ${perRound} one at a time after ${warmUp} to warm up, then ${concurrentShoppers} shoppers at once placing
${concurrentEach} each. The monolith, in the same run, is the baseline. Measured ${new Date().toISOString().slice(0, 10)} on a shared
${os.availableParallelism()}-core machine (other work running beside it, so the absolute figures are noisy; the ratios
are what to compare), Node ${process.version}. ${failures.length} checkouts failed${failures.length ? `: ${failures.slice(0, 3).join("; ")}` : ""}.

| checkout.place | p50 | p95 | checkouts |
| --- | --- | --- | --- |
${row("monolith, one at a time", mono.sequentialMs)}
${row("microservices, one at a time", micro.sequentialMs)}
${row(`monolith, ${concurrentShoppers} at once`, mono.concurrentMs)}
${row(`microservices, ${concurrentShoppers} at once`, micro.concurrentMs)}

| goal | target | same run | |
| --- | --- | --- | --- |
| microservices checkout p50 ÷ monolith checkout p50, one at a time | at most 2× | ${sequentialRatio.toFixed(2)}× | **${sequentialRatio <= 2 ? "met" : "missed"}** |
| the same, ${concurrentShoppers} shoppers at once | | ${concurrentRatio.toFixed(2)}× | |

### The critical path of a checkout

From the traces of the one-at-a-time checkouts (tagged with a test id, read back from each stack's
telemetry service: ${micro.traced} and ${mono.traced} traces), the path through the median one: the chain of
spans the answer waited for, walked back from its end (\`src/critical-path.ts\`), and the tRPC calls on it.
Calls that were in flight at once: ${concurrentLine(micro.path)}.

Microservices, ${ms(micro.path?.durationMs ?? 0)} at the storefront, ${micro.path?.onPath.length ?? 0} calls one after the
other (${networkOnPath(micro)} of them over the network; median over the traces ${micro.medianHopsOnPath}), of
${micro.path?.allHops.length ?? 0} calls in all:

${micro.path ? pathTable(micro.path) : "(no trace read back)"}

Monolith, ${ms(mono.path?.durationMs ?? 0)}, ${mono.path?.onPath.length ?? 0} calls one after the other, ${networkOnPath(mono)} of them
over the network (storefront → monolith):

${mono.path ? pathTable(mono.path) : "(no trace read back)"}`;
}

export function writeCheckout(result: CheckoutBenchResult): void {
  writeSection("checkout", checkoutSection(result));
}
