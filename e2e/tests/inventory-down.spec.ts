import { fixtures, products } from "@microshop/seed-data/catalog";
import { expect, test } from "../support/fixtures";
import { stackMode, supervisor } from "../support/stack";

const product = products.find((p) => p.slug === fixtures.inStockSlug)!;

test.describe("when the inventory service is down", () => {
  test.afterEach(async () => {
    if (stackMode === "microservices") await supervisor.processes.start.mutate({ name: "inventory" });
  });

  test("the product page still renders and says stock is unavailable, then recovers", async ({ page }) => {
    if (stackMode === "monolith") {
      // In a monolith, inventory is not a process of its own: it cannot fail (or be deployed) alone.
      await expect(supervisor.processes.stop.mutate({ name: "inventory" })).rejects.toThrow(/monolith/i);
      return;
    }
    await supervisor.processes.stop.mutate({ name: "inventory" });

    await page.goto(`/p/${product.slug}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(product.name);
    await expect(page.getByTestId("stock-status")).toHaveText("Stock unavailable");

    await supervisor.processes.start.mutate({ name: "inventory" });
    // The badge refreshes by itself: no reload needed once the service is back.
    await expect(page.getByTestId("stock-status")).toHaveText("In stock", { timeout: 20_000 });
  });
});
