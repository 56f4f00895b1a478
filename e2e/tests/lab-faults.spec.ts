import { randomUUID } from "node:crypto";
import { fixtures } from "@microshop/seed-data/catalog";
import { BffClient } from "@microshop/shopper/bff-client";
import { addToCart, placeOrder, signUp } from "@microshop/shopper/steps";
import { testIdBaggage } from "@microshop/tracing/test-id";
import type { Page } from "@playwright/test";
import { expect, shopperAddress, test } from "../support/fixtures";
import { controlPlane, openDashboard, resetLab, serviceNode } from "../support/lab";
import { seedProduct } from "../support/shopper";
import { stackMode, storefrontUrl } from "../support/stack";
import { telemetry, tracesOfTest, type FullTrace, type TraceSpan } from "../support/traces";

// Faults set live on a running stack, in both modes: in the monolith the services call each other
// in-process, and the same edge fault acts there.

test.afterEach(resetLab);

const checkouts = 6;
const product = seedProduct(fixtures.inStockSlug);

/** Checkouts one after another through the storefront's BFF, each in a trace tagged `tag`. */
async function checkOut(tag: string, count: number, address: string): Promise<void> {
  const shopper = new BffClient({
    baseUrl: storefrontUrl,
    clientAddress: address,
    timeoutMs: 30_000,
    headers: { baggage: testIdBaggage(tag) },
  });
  expect((await signUp(shopper, { name: "Lab Shopper", email: `lab-${randomUUID()}@example.com` })).ok).toBe(true);
  for (let i = 0; i < count; i++) {
    const added = await addToCart(shopper, product.id, 1);
    expect(added.ok, JSON.stringify(added)).toBe(true);
    const answer = await placeOrder(shopper, {
      checkoutKey: randomUUID(),
      card: "success",
      holderName: "Lab Shopper",
      random: Math.random,
      followMs: 30_000,
    });
    expect(answer.ok && answer.data.status, JSON.stringify(answer)).toBe("paid");
  }
}

/** Each checkout's span as the storefront saw it (the storefront's call of orders.place), and its calls to payment. */
function checkoutSpans(traces: FullTrace[]): { place: TraceSpan; payment: TraceSpan[] }[] {
  return traces.flatMap((trace) => {
    const place = trace.spans.find((span) => span.kind === "client" && span.attributes["rpc.method"] === "orders.place");
    if (!place) return [];
    const payment = trace.spans.filter((span) => span.kind === "client" && span.attributes["rpc.service"] === "payment");
    return [{ place, payment }];
  });
}

async function checkoutsOf(tag: string): Promise<{ place: TraceSpan; payment: TraceSpan[] }[]> {
  const traces = await tracesOfTest(
    tag,
    (found) => checkoutSpans(found).filter(({ payment }) => payment.length > 0).length >= checkouts,
    20_000,
  );
  return checkoutSpans(traces);
}

const p50 = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;

/**
 * Sets +300 ms on order → payment from the dashboard: from the edge's own panel on the map, or, in
 * the monolith (whose map has no such edge: order calls payment inside one process), from the Lab
 * tab's fault form for any service or edge.
 */
async function slowOrderToPayment(dashboard: Page): Promise<void> {
  await openDashboard(dashboard);
  if (stackMode === "monolith") {
    await dashboard.getByRole("tab", { name: "Lab" }).click();
    const faults = dashboard.getByRole("region", { name: "Faults" });
    await faults.getByRole("radio", { name: "An edge" }).check();
    await faults.getByRole("combobox", { name: "Caller" }).selectOption("order");
    await faults.getByRole("combobox", { name: "Callee" }).selectOption("payment");
    const form = faults.getByRole("form", { name: "Add a fault to order → payment" });
    await form.getByLabel("Latency (ms)").fill("300");
    await form.getByRole("button", { name: "Add fault" }).click();
    await expect(faults.getByRole("button", { name: "Clear the fault +300 ms on order → payment" })).toBeVisible();
    return;
  }
  const edge = dashboard.getByTestId("edge-order-payment");
  await expect(edge).toBeAttached();
  await edge.locator(".react-flow__edge-interaction").dispatchEvent("click");
  const panel = dashboard.getByTestId("edge-panel");
  const form = panel.getByRole("form", { name: /^Add a fault to/ });
  await form.getByLabel("Latency (ms)").fill("300");
  await form.getByRole("button", { name: "Add fault" }).click();
  await expect(dashboard.getByTestId("edge-fault-order-payment")).toContainText("+300 ms");
}

test("300 ms on order → payment raises checkout's p50 by 300 ms, shows in the trace, and clears", async ({ page, testId }) => {
  const address = shopperAddress(testId);
  await checkOut(`${testId}-before`, checkouts, address);
  await slowOrderToPayment(page);
  // The feed carries the fault to the order process (or the monolith) within a second.
  await expect.poll(async () => (await controlPlane.snapshot.query()).faults.length).toBe(1);
  await checkOut(`${testId}-slowed`, checkouts, address);
  await controlPlane.clearFaults.mutate();
  if (stackMode === "microservices") await expect(page.getByTestId("edge-fault-order-payment")).toHaveCount(0);
  await checkOut(`${testId}-cleared`, 2, address);

  const before = await checkoutsOf(`${testId}-before`);
  const slowed = await checkoutsOf(`${testId}-slowed`);
  // Every slowed call to payment waited the 300 ms, and says why in its span.
  for (const { payment } of slowed)
    for (const call of payment) {
      expect(call.durationMs).toBeGreaterThanOrEqual(300);
      expect(call.attributes["microshop.fault.ids"]).toBeTruthy();
    }
  if (stackMode === "microservices") {
    // The map's edge order → payment is timed as order felt it: the 300 ms it waited belong to the hop.
    const slowedTraces = new Set(slowed.map(({ place }) => place.traceId));
    const onTheEdge = (await telemetry.edge.query({ source: "order", target: "payment", limit: 200 })).filter((request) =>
      slowedTraces.has(request.traceId),
    );
    expect(onTheEdge.length).toBeGreaterThan(0);
    for (const request of onTheEdge) expect(request.durationMs).toBeGreaterThanOrEqual(300);
  }
  const raise = p50(slowed.map(({ place }) => place.durationMs)) - p50(before.map(({ place }) => place.durationMs));
  // 300 ms is added to every slowed checkout; two runs of the same checkout differ by a few ms of
  // their own, so the medians are compared with that much room.
  expect(raise, `checkout p50 rose by ${raise} ms`).toBeGreaterThanOrEqual(300 - 50);
  const cleared = await tracesOfTest(
    `${testId}-cleared`,
    (found) => checkoutSpans(found).filter(({ payment }) => payment.length > 0).length >= 2,
    20_000,
  );
  for (const { payment } of checkoutSpans(cleared))
    for (const call of payment) expect(call.attributes["microshop.fault.ids"]).toBeUndefined();
});

test("a scenario from the lab panel sets its faults, shows them on the map, and clears as one", async ({ page }) => {
  await controlPlane.setFault.mutate({ target: { kind: "service", service: "cart" }, latencyMs: 20 });
  await openDashboard(page);
  await page.getByRole("tab", { name: "Lab" }).click();
  const scenarios = page.getByRole("region", { name: "Scenarios" });
  await scenarios.getByRole("button", { name: "Apply the scenario Slow payments" }).click();
  await expect(scenarios.getByRole("button", { name: "Clear the scenario Slow payments" })).toBeVisible();
  expect((await controlPlane.snapshot.query()).faults.map((fault) => fault.target)).toEqual([
    { kind: "service", service: "cart" },
    { kind: "service", service: "payment" },
  ]);
  if (stackMode === "microservices") await expect(serviceNode(page, "payment")).toContainText("+800 ms ±200");
  await scenarios.getByRole("button", { name: "Clear the scenario Slow payments" }).click();
  await expect(scenarios.getByRole("button", { name: "Apply the scenario Slow payments" })).toBeVisible();
  // Only the scenario's faults went; the learner's own stays.
  expect((await controlPlane.snapshot.query()).faults.map((fault) => fault.target)).toEqual([
    { kind: "service", service: "cart" },
  ]);
  if (stackMode === "microservices") await expect(serviceNode(page, "payment")).not.toContainText("+800 ms");
});
