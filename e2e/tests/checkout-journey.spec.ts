import { fixtures } from "@microshop/seed-data/catalog";
import { expect, test } from "../support/fixtures";
import type { CartRouter } from "@microshop/cart-service/router";
import type { EmailRouter } from "@microshop/email-service/router";
import type { OrderRouter } from "@microshop/order-service/router";
import { directClient } from "../support/stack";
import { addToCart, fillCheckout, newShopper, seedProduct, signUp, testCards } from "../support/shopper";

const kettle = seedProduct(fixtures.inStockSlug);
const mug = seedProduct("stoneware-mug");
const usd = (minor: number) => new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(minor / 100);

test("a visitor fills a cart, signs up keeping it, pays, and finds the order and its email", async ({ page }) => {
  await addToCart(page, kettle.slug);
  await addToCart(page, mug.slug, 2);
  await expect(page.getByTestId("cart-count")).toHaveText("3");

  const shopper = newShopper("journey");
  await signUp(page, shopper, "/cart");
  await expect(page).toHaveURL(/\/cart$/);
  await expect(page.getByTestId("cart-line")).toHaveCount(2);
  const total = kettle.priceMinor + 2 * mug.priceMinor;
  await expect(page.getByTestId("cart-subtotal")).toHaveText(usd(total));

  await page.getByRole("link", { name: "Checkout" }).click();
  await fillCheckout(page, testCards.success);
  await page.getByRole("button", { name: `Pay ${usd(total)}` }).click();

  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Thank you for your order!");
  await expect(page.getByTestId("order-status")).toHaveText("Confirmed");
  await expect(page.getByTestId("order-total")).toHaveText(usd(total));
  await expect(page.getByTestId("cart-count")).toHaveCount(0);

  await page.getByRole("link", { name: "All your orders" }).click();
  await expect(page.getByTestId("order-row")).toHaveCount(1);
  await expect(page.getByTestId("order-row")).toContainText("Confirmed");

  await page.getByRole("link", { name: "Inbox", exact: true }).click();
  const confirmation = page.getByTestId("inbox-row").filter({ hasText: "is confirmed" });
  await expect(confirmation).toHaveCount(1, { timeout: 15_000 });
  await expect(page.getByTestId("inbox-row").filter({ hasText: "Welcome to Microshop" })).toHaveCount(1);
  await confirmation.getByRole("link").click();
  await expect(page.frameLocator("iframe").getByText(`${kettle.name} × 1`)).toBeVisible();
});

test("a declined card says so, charges nothing, releases the stock and keeps the cart and the form", async ({ page }) => {
  const shopper = newShopper("declined");
  await signUp(page, shopper);
  await addToCart(page, kettle.slug, 2);
  await page.goto(`/p/${kettle.slug}`);
  const stockBefore = await page.getByTestId("stock-status").textContent();

  await page.goto("/checkout");
  await fillCheckout(page, testCards.declined);
  await page.getByRole("button", { name: /^Pay / }).click();
  await expect(page.getByTestId("checkout-error")).toHaveText("Your card was declined.");
  // Nothing the shopper typed is lost.
  await expect(page.getByLabel("Street address")).toHaveValue("12 St James's Square");
  await expect(page.getByLabel("Card number")).toHaveValue(testCards.declined);

  await page.goto("/cart");
  await expect(page.getByTestId("cart-line")).toHaveCount(1);
  await page.goto("/orders");
  await expect(page.getByTestId("order-row")).toContainText("Not completed");
  await page.goto(`/p/${kettle.slug}`);
  await expect(page.getByTestId("stock-status")).toHaveText(stockBefore ?? "");
});

test("a shopper cannot put more in the cart than there is in stock", async ({ page }) => {
  const apron = seedProduct(fixtures.lowStockSlug);
  await page.goto(`/p/${apron.slug}`);
  await page.getByLabel("Quantity").fill(String(apron.initialStock + 1));
  await page.getByRole("button", { name: "Add to cart" }).click();
  await expect(page.getByTestId("cart-feedback")).toHaveText(`Only ${apron.initialStock} of ${apron.name} left`);

  await page.goto(`/p/${fixtures.outOfStockSlug}`);
  await page.getByRole("button", { name: "Add to cart" }).click();
  await expect(page.getByTestId("cart-feedback")).toHaveText(`${seedProduct(fixtures.outOfStockSlug).name} is out of stock`);
});

test("signed out, orders and the inbox ask to sign in, and another shopper's order is not found", async ({ page, browser }) => {
  const owner = newShopper("owner");
  await signUp(page, owner);
  await addToCart(page, kettle.slug);
  await page.goto("/checkout");
  await fillCheckout(page, testCards.success);
  await page.getByRole("button", { name: /^Pay / }).click();
  await expect(page.getByTestId("order-status")).toHaveText("Confirmed");
  const orderUrl = page.url();

  const other = await browser.newContext();
  const intruder = await other.newPage();
  await intruder.goto("/orders");
  await expect(intruder.getByRole("heading", { level: 1 })).toHaveText("Your orders");
  await expect(intruder.getByText("Please sign in to continue.")).toBeVisible();
  await signUp(intruder, newShopper("intruder"));
  await intruder.goto(orderUrl.replace(/\?.*$/, ""));
  await expect(intruder.getByRole("heading", { level: 1 })).toHaveText("Order not found");

  // Straight at the services, with the intruder's own valid session: still nothing of the owner's.
  const intruderToken = (await other.cookies()).find((cookie) => cookie.name === "ms_session")?.value ?? "";
  expect(intruderToken).not.toBe("");
  const orderId = new URL(orderUrl).pathname.split("/").pop() ?? "";
  const orders = directClient<OrderRouter>("order");
  await expect(orders.orders.get.query({ sessionToken: intruderToken, orderId })).rejects.toThrow("We couldn't find that order");
  expect(await orders.orders.list.query({ sessionToken: intruderToken })).toEqual([]);
  const inbox = await directClient<EmailRouter>("email").inbox.list.query({ sessionToken: intruderToken });
  expect(inbox.every((message) => message.toEmail !== owner.email)).toBe(true);
  const cart = await directClient<CartRouter>("cart").cart.get.query({ owner: { kind: "user", sessionToken: intruderToken } });
  expect(cart.lines).toEqual([]);
  // Naming the owner by id is not a way in: services only accept a session.
  await expect(orders.orders.list.query({ userId: "anyone" } as never)).rejects.toThrow(/sessionToken/);
  await other.close();
});
