// The monolith in the lab, with stand-in services (no databases): one agent for the process, whose
// faults act on the calls between the services inside, which go in-process.
import { credentialsOf, trustedKeysFor } from "@microshop/service-auth";
import { downstreamCode } from "@microshop/service-client/errors";
import { faultOf } from "@microshop/lab/faults";
import type { FeedReport } from "@microshop/lab/feed";
import { FEED_PATH, labFeedMount } from "@microshop/service-runtime/lab-feed";
import { createLogger } from "@microshop/service-runtime/logger";
import { startServer, type RunningServer } from "@microshop/service-runtime/server";
import { defineService, type ServiceDefinition } from "@microshop/service-runtime/service";
import { serviceNames, type ServiceName } from "@microshop/topology";
import { transformer } from "@microshop/transformer";
import { createTRPCClient, httpLink } from "@trpc/client";
import { initTRPC } from "@trpc/server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { z } from "zod";
import { startMonolith } from "./monolith";

const root = "a-stack-root-secret-of-at-least-32-characters";
const silent = createLogger("monolith-lab-test", "silent");

interface StandInContext {
  readonly name: string;
  readonly instance: string;
  readonly call: (callee: ServiceName) => Promise<string>;
}
const t = initTRPC.context<StandInContext>().create({ transformer });
const standInRouter = t.router({
  whoami: t.procedure.query(({ ctx }) => `${ctx.name}@${ctx.instance}`),
  /** Calls `callee` from inside: its answer, or the code of its failure. */
  ask: t.procedure
    .input(z.object({ callee: z.enum(serviceNames) }))
    .mutation(({ ctx, input }) => ctx.call(input.callee).catch((error: unknown) => downstreamCode(error) ?? "no answer")),
});
type StandInRouter = typeof standInRouter;

const standIn = (name: ServiceName): ServiceDefinition =>
  defineService({
    name,
    router: standInRouter,
    defaultPort: 0,
    start: (context) =>
      Promise.resolve({
        createContext: () =>
          Promise.resolve({
            name,
            instance: context.instance,
            call: (callee: ServiceName) => context.client<StandInRouter>(callee).whoami.query(),
          }),
        checkReady: () => Promise.resolve(),
        close: () => Promise.resolve(),
      }),
  });

const failPayment = faultOf({ target: { kind: "edge", caller: "order", callee: "payment" }, errorRate: 1 }, "edge-1");

const reports: Array<{ report: FeedReport; caller: string }> = [];
let supervisor: RunningServer;
let monolith: RunningServer;

beforeAll(async () => {
  supervisor = await startServer({
    name: "supervisor",
    host: "127.0.0.1",
    port: 0,
    logger: silent,
    mounts: [
      labFeedMount({
        source: {
          sync: (report, caller) => (reports.push({ report, caller }), { revision: 1, endpoints: {}, faults: [failPayment] }),
        },
        trustedKeys: trustedKeysFor(root, ["monolith"]),
      }),
    ],
  });
  monolith = await startMonolith({
    definitions: Object.fromEntries(serviceNames.map((name) => [name, standIn(name)])) as Record<ServiceName, ServiceDefinition>,
    env: {},
    host: "127.0.0.1",
    port: 0,
    logger: silent,
    loggerFor: () => silent,
    credentials: credentialsOf(root, "monolith"),
    feedUrl: `${supervisor.url}${FEED_PATH}`,
  });
});

afterAll(async () => {
  await monolith?.close();
  await supervisor?.close();
});

it("follows the feed as one process, and its faults act on the in-process calls between the services inside", async () => {
  const order = createTRPCClient<StandInRouter>({ links: [httpLink({ url: `${monolith.url}/order/trpc`, transformer })] });
  await expect.poll(() => order.ask.mutate({ callee: "payment" }), { timeout: 15_000 }).toBe("SERVICE_UNAVAILABLE");
  // The edge names order and payment, as in microservices: order's other calls, and cart's to payment, go on.
  expect(await order.ask.mutate({ callee: "inventory" })).toBe("inventory@monolith");
  const cart = createTRPCClient<StandInRouter>({ links: [httpLink({ url: `${monolith.url}/cart/trpc`, transformer })] });
  expect(await cart.ask.mutate({ callee: "payment" })).toBe("payment@monolith");
  expect(reports[0]).toMatchObject({ caller: "monolith", report: { instance: "monolith" } });
  // Summed over every report: calls to payment made before the fault reached the monolith were
  // reported too (ok, none failed), in an earlier report than the one failed call.
  const paymentCalls = () => {
    const tallies = reports.flatMap(({ report }) => report.calls).filter((tally) => tally.callee === "payment");
    return {
      instances: [...new Set(tallies.map((tally) => tally.instance))],
      failed: tallies.reduce((sum, tally) => sum + tally.failed, 0),
    };
  };
  await expect.poll(paymentCalls, { timeout: 15_000 }).toEqual({ instances: ["monolith"], failed: 1 });
});
