import { fixtures } from "@microshop/seed-data/catalog";
import { expect, test } from "../support/fixtures";
import { addToCart, fillCheckout, newShopper, signUp, testCards } from "../support/shopper";
import { stackMode } from "../support/stack";
import { callsOf, rpcCallsOf, tracesOfTest, type FullTrace } from "../support/traces";

const placesOrder = (trace: FullTrace) => rpcCallsOf(trace).some((call) => call.method === "orders.place");
const sendsEmail = (trace: FullTrace) => rpcCallsOf(trace).some((call) => call.method === "emails.send");

test("a checkout is one trace from the browser to every service, and it reserves stock before it charges the card", async ({
  page,
  testId,
}) => {
  await signUp(page, newShopper("traced"));
  await addToCart(page, fixtures.inStockSlug);
  await page.goto("/checkout");
  await fillCheckout(page, testCards.success);
  await page.getByRole("button", { name: /^Pay / }).click();
  await expect(page.getByTestId("order-status")).toHaveText("Confirmed");

  // Each process exports on its own: the trace is whole once the browser's span is in too.
  const whole = (trace: FullTrace) => placesOrder(trace) && sendsEmail(trace) && trace.services.includes("browser");
  const traces = await tracesOfTest(testId, (found) => found.some(whole));
  const checkout = traces.find(whole)!;

  // The shopper's click started it: the browser's fetch is the root, its traceparent crossed every hop.
  expect(checkout.rootService).toBe("browser");
  const calls = rpcCallsOf(checkout).map((call) => `${call.caller}→${call.callee} ${call.method}`);
  const caller = stackMode === "microservices" ? "order" : "monolith";
  const order = (call: string) => calls.indexOf(call);
  expect(calls).toContain("storefront→order orders.place");
  expect(order(`${caller}→inventory reservations.reserve`)).toBeGreaterThan(order("storefront→order orders.place"));
  expect(order(`${caller}→payment payments.charge`)).toBeGreaterThan(order(`${caller}→inventory reservations.reserve`));
  expect(order(`${caller}→inventory reservations.commit`)).toBeGreaterThan(order(`${caller}→payment payments.charge`));
  expect(order(`${caller}→email emails.send`)).toBeGreaterThan(order(`${caller}→inventory reservations.commit`));

  if (stackMode === "microservices") {
    // Each hop is a real network call between processes, and each service wrote to its own database.
    expect(checkout.services).toEqual(
      expect.arrayContaining(["browser", "storefront", "order", "inventory", "payment", "email", "user"]),
    );
    const edges = new Set(callsOf(checkout).map((call) => `${call.source}→${call.target}`));
    for (const edge of ["browser→storefront", "storefront→order", "order→inventory", "order→payment", "order→email"])
      expect(edges).toContain(edge);
    for (const database of ["order", "inventory", "payment", "email"]) {
      expect(checkout.spans.some((span) => span.service === database && span.attributes["db.system.name"] === "sqlite")).toBe(
        true,
      );
    }
  } else {
    // The same code in one process: one network hop, every other call in-process.
    expect(checkout.services).toEqual(["browser", "monolith", "storefront"]);
    expect(new Set(callsOf(checkout).map((call) => `${call.source}→${call.target}`))).toEqual(
      new Set(["browser→storefront", "storefront→monolith"]),
    );
  }
});

test("a declined card's trace shows the charge refused and the stock released, and nothing sent", async ({ page, testId }) => {
  await signUp(page, newShopper("traced-decline"));
  await addToCart(page, fixtures.inStockSlug);
  await page.goto("/checkout");
  await fillCheckout(page, testCards.declined);
  await page.getByRole("button", { name: /^Pay / }).click();
  await expect(page.getByTestId("checkout-error")).toHaveText("Your card was declined.");

  const released = (trace: FullTrace) => rpcCallsOf(trace).some((call) => call.method === "reservations.release");
  const [checkout] = (await tracesOfTest(testId, (found) => found.some((trace) => placesOrder(trace) && released(trace)))).filter(
    placesOrder,
  );
  const methods = rpcCallsOf(checkout!).map((call) => call.method);
  expect(methods.indexOf("reservations.release")).toBeGreaterThan(methods.indexOf("payments.charge"));
  expect(methods).not.toContain("reservations.commit");
  expect(methods).not.toContain("emails.send");
  const charge = checkout!.spans.find((span) => span.kind === "client" && span.attributes["rpc.method"] === "payments.charge");
  expect(charge?.error).toBe(true);
});
