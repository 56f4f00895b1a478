import { fixtures } from "@microshop/seed-data/catalog";
import { expect, test } from "../support/fixtures";
import { stackMode, supervisor } from "../support/stack";
import { addToCart, fillCheckout, newShopper, seedProduct, signUp, testCards } from "../support/shopper";

const slowCard = "4000 0000 0000 6975";

test("two shoppers pay for the last unit at the same moment: exactly one gets it, the other is told", async ({ browser }) => {
  const jacket = seedProduct(fixtures.lastUnitSlug);
  const contexts = await Promise.all([browser.newContext(), browser.newContext()]);
  const pages = await Promise.all(contexts.map((context) => context.newPage()));
  for (const [i, page] of pages.entries()) {
    await signUp(page, newShopper(`race${i}`));
    await addToCart(page, jacket.slug);
    await page.goto("/checkout");
    await fillCheckout(page, testCards.success);
  }
  await Promise.all(pages.map((page) => page.getByRole("button", { name: /^Pay / }).click()));

  const outcomes = await Promise.all(
    pages.map(async (page) => {
      const won = page.getByTestId("order-status");
      const lost = page.getByTestId("checkout-error");
      await expect(won.or(lost)).toBeVisible({ timeout: 20_000 });
      return (await won.isVisible()) ? "won" : ((await lost.textContent()) ?? "");
    }),
  );
  expect(outcomes.filter((outcome) => outcome === "won")).toHaveLength(1);
  expect(outcomes.find((outcome) => outcome !== "won")).toBe(`${jacket.name} is out of stock (asked for 1)`);
  await Promise.all(contexts.map((context) => context.close()));
});

test("a card slower than the checkout's timeout is retried with the same key: one order, confirmed", async ({ page }) => {
  await signUp(page, newShopper("slow"));
  await addToCart(page, fixtures.inStockSlug);
  await page.goto("/checkout");
  await fillCheckout(page, slowCard);
  await page.getByRole("button", { name: /^Pay / }).click();
  await expect(page.getByTestId("order-status")).toHaveText("Confirmed", { timeout: 25_000 });
  await page.goto("/orders");
  await expect(page.getByTestId("order-row")).toHaveCount(1);
});

test.describe("when the email service is down", () => {
  test.afterEach(async () => {
    if (stackMode === "microservices") await supervisor.processes.start.mutate({ name: "email" });
  });

  test("the order still completes, and its email arrives once the service is back", async ({ page }) => {
    await signUp(page, newShopper("mailless"));
    await addToCart(page, fixtures.inStockSlug);
    if (stackMode === "monolith") {
      // In a monolith the email code lives in the same process: it cannot be down on its own.
      await expect(supervisor.processes.stop.mutate({ name: "email" })).rejects.toThrow(/monolith/i);
      return;
    }
    await supervisor.processes.stop.mutate({ name: "email" });
    await page.goto("/checkout");
    await fillCheckout(page, testCards.success);
    await page.getByRole("button", { name: /^Pay / }).click();
    await expect(page.getByTestId("order-status")).toHaveText("Confirmed");

    await supervisor.processes.start.mutate({ name: "email" });
    await page.goto("/inbox");
    await expect(page.getByTestId("inbox-row").filter({ hasText: "is confirmed" })).toHaveCount(1, { timeout: 40_000 });
  });
});
