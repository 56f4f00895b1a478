import type { InventoryRouter } from "@microshop/inventory-service/router";
import type { ProductRouter } from "@microshop/product-service/router";
import { fixtures, products } from "@microshop/seed-data/catalog";
import { credentialsOf, SERVICE_TOKEN_HEADER, serviceTokenSigner } from "@microshop/service-auth";
import { createServiceClient } from "@microshop/service-client";
import { createServiceResolver } from "@microshop/service-client/resolver";
import { serviceUrlsEnvName } from "@microshop/topology";
import { expect, test } from "../support/fixtures";
import { directClient, serviceTokenSecret, serviceUrl, telemetryUrl } from "../support/stack";

// The storefront's BFF is the only public API: the services answer only the system's own processes.

const search = (base: string) => `${base}/catalog.search?input=${encodeURIComponent(JSON.stringify({ json: { q: "mug" } }))}`;

test("a service refuses a caller without the system's credential with 401, and one with a forged credential", async ({
  page,
}) => {
  const unsigned = await fetch(search(serviceUrl("product")));
  expect(unsigned.status).toBe(401);
  expect(await unsigned.text()).toContain("only answers the system's own processes");

  const forged = createServiceClient<ProductRouter>("product", {
    resolver: createServiceResolver({ [serviceUrlsEnvName("product")]: serviceUrl("product") }),
    credentials: credentialsOf("a-guessed-secret-that-is-long-enough-0123456789", "storefront"),
  });
  await expect(forged.catalog.search.query({ q: "mug" })).rejects.toMatchObject({ data: { code: "UNAUTHORIZED" } });

  // A page cannot reach it either; the store itself, through its BFF, works.
  await page.goto("/search?q=mug");
  const fromBrowser = await page.evaluate(
    async (url) => {
      try {
        const response = await fetch(url);
        return response.status;
      } catch {
        return "blocked";
      }
    },
    search(serviceUrl("product")),
  );
  expect(fromBrowser === 401 || fromBrowser === "blocked").toBe(true);
  await expect(page.getByTestId("product-card").first()).toBeVisible();

  // A process of the system, holding the credential, is answered.
  expect((await directClient<ProductRouter>("product").catalog.search.query({ q: "mug" })).items.length).toBeGreaterThan(0);

  // The telemetry service's API is internal too (its OTLP receiver is open to any OpenTelemetry SDK).
  expect((await fetch(`${telemetryUrl}/trpc/graph`)).status).toBe(401);
});

/** A call to one of payment's procedures, carrying `token`: what a process holding one could send. */
async function callPayment(procedure: string, token: string): Promise<Response> {
  return fetch(`${serviceUrl("payment")}/${procedure}`, {
    method: "POST",
    headers: { "content-type": "application/json", [SERVICE_TOKEN_HEADER]: token },
    body: JSON.stringify({ json: { orderId: "an-order-of-someone-else" } }),
  });
}

test("a service answers only the callers its topology names: the storefront cannot refund, a token for inventory opens nothing else", async () => {
  // The internet-facing storefront, with its own genuine key, is not a caller of payment.
  const asStorefront = await serviceTokenSigner(credentialsOf(serviceTokenSecret, "storefront"), "payment")();
  const refund = await callPayment("payments.refund", asStorefront);
  expect(refund.status).toBe(403);
  expect(await refund.text()).toContain("does not serve storefront");

  // The order service's genuine token, made for inventory, replayed at payment.
  const forInventory = await serviceTokenSigner(credentialsOf(serviceTokenSecret, "order"), "inventory")();
  expect((await callPayment("payments.refund", forInventory)).status).toBe(401);

  // A procedure narrower than its service: the storefront reads stock, it may not restock it.
  const inventory = directClient<InventoryRouter>("inventory", "storefront");
  const kettle = products.find((product) => product.slug === fixtures.inStockSlug)!;
  expect(await inventory.stock.level.query({ productId: kettle.id })).toMatchObject({ productId: kettle.id });
  const restock = await inventory.stock.restock
    .mutate({ productId: kettle.id, quantity: 1_000 })
    .catch((error: unknown) => error);
  expect((restock as { data?: { code?: string } }).data?.code).toBe("FORBIDDEN");

  // The storefront still reaches what it serves.
  expect(
    (await directClient<ProductRouter>("product", "storefront").catalog.search.query({ q: "mug" })).items.length,
  ).toBeGreaterThan(0);
});
