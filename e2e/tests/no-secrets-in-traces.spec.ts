/**
 * The trace view is open to anyone who can load the dashboard, so no span may carry what takes over
 * a shopper's account or cart: the session token, the visitor id, the password or the card number.
 * One whole journey (shop as a visitor, sign up, check out) is read back span by span, every
 * attribute, name and status message, for each secret as typed and as a URL would carry it.
 */
import { fixtures } from "@microshop/seed-data/catalog";
import { expect, test } from "../support/fixtures";
import { addToCart, fillCheckout, newShopper, signUp, testCards } from "../support/shopper";
import { rpcCallsOf, tracesOfTest, type FullTrace, type TraceSpan } from "../support/traces";

/** Every way a secret is written in a URL or a form body, besides itself. */
function spellings(secret: string): string[] {
  const forms = [
    secret,
    encodeURIComponent(secret),
    encodeURIComponent(secret).replaceAll("%20", "+"),
    encodeURIComponent(JSON.stringify(secret)),
  ];
  return [...new Set(forms)];
}

/** Each place of a span a value can sit, with where it was found. */
function textsOf(span: TraceSpan): Array<{ where: string; text: string }> {
  return [
    { where: "name", text: span.name },
    { where: "status message", text: span.statusMessage },
    ...Object.entries(span.attributes).map(([key, value]) => ({ where: `attribute ${key}`, text: String(value) })),
  ];
}

test("no span of a whole shopping journey holds the session token, the visitor id, the password or the card number", async ({
  page,
  context,
  testId,
}) => {
  // A whole journey, then every span of it: longer than one page's budget on a loaded machine.
  test.setTimeout(120_000);
  const shopper = newShopper("no-secrets");
  // As a visitor first, so the cart is keyed by the visitor id, then signed up (the cart comes along).
  await addToCart(page, fixtures.inStockSlug);
  await signUp(page, shopper, "/cart");
  await page.goto("/checkout");
  await fillCheckout(page, testCards.success);
  await page.getByRole("button", { name: /^Pay / }).click();
  await expect(page.getByTestId("order-status")).toHaveText("Confirmed", { timeout: 30_000 });

  const cookies = await context.cookies();
  const session = cookies.find((cookie) => cookie.name === "ms_session")?.value;
  const visitor = cookies.find((cookie) => cookie.name === "ms_visitor")?.value;
  expect(session, "the shopper is signed in").toBeTruthy();
  expect(visitor, "the shopper had a visitor cart").toBeTruthy();
  const secrets: Record<string, string> = {
    "session token": session!,
    "visitor id": visitor!,
    password: shopper.password,
    "card number": testCards.success,
    "card digits": testCards.success.replaceAll(" ", ""),
  };

  // Each process exports on its own: the journey is all in once the checkout's browser span is.
  const placed = (trace: FullTrace) =>
    rpcCallsOf(trace).some((call) => call.method === "orders.place") && trace.services.includes("browser");
  const traces = await tracesOfTest(testId, (found) => found.some(placed), 30_000);
  const spans = traces.flatMap((trace) => trace.spans);
  expect(spans.length).toBeGreaterThan(20);

  const leaks: string[] = [];
  for (const span of spans) {
    for (const { where, text } of textsOf(span)) {
      for (const [secret, value] of Object.entries(secrets)) {
        if (spellings(value).some((spelling) => text.includes(spelling)))
          leaks.push(`${span.service} "${span.name}" ${where} holds the ${secret}: ${text}`);
      }
    }
  }
  expect(leaks).toEqual([]);
});
