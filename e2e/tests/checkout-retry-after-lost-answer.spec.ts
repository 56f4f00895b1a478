// The shopper's side of "a retry after a lost answer charges once": the process running the
// checkout saga is SIGKILLed while the card is being charged, so the page never gets an answer for
// its Pay; it comes back, and the shopper presses Pay again. However the order settles, the
// shopper ends with one paid order, one charge and an empty cart, and was never told their
// account is the problem.
import type { CartRouter } from "@microshop/cart-service/router";
import type { OrderRouter } from "@microshop/order-service/router";
import type { PaymentRouter } from "@microshop/payment-service/router";
import { expect, test } from "../support/fixtures";
import { directClient, stackMode, supervisor } from "../support/stack";
import { addToCart, fillCheckout, newShopper, seedProduct, signUp } from "../support/shopper";

const mug = seedProduct("stoneware-mug");
// README's slow test card: answers after 5 s, longer than checkout waits for it.
const slowCard = "4000 0000 0000 6975";
// In a monolith the order code shares its process with every other service: that process is killed.
const sagaHost = stackMode === "monolith" ? "monolith" : "order";

const orders = directClient<OrderRouter>("order");
// Only the order service may ask the payment service anything: the test reads as it would.
const payments = directClient<PaymentRouter>("payment", "order");
const carts = directClient<CartRouter>("cart");

/** The payment of an order by its idempotency key (the order id), or null when none was ever made. */
async function paymentOf(orderId: string) {
  return payments.payments.get.query({ idempotencyKey: orderId }).catch((error: unknown) => {
    if ((error as { data?: { code?: string } }).data?.code === "NOT_FOUND") return null;
    throw error;
  });
}

test("pressing Pay again after the order service died mid-charge pays once, clears the cart and says the payment is being checked", async ({
  page,
}) => {
  // A slow charge, a kill, a restart with backoff and saga recovery: generous on a loaded machine.
  test.setTimeout(150_000);
  await signUp(page, newShopper("lost-answer"));
  await addToCart(page, mug.slug);
  const sessionToken = (await page.context().cookies()).find((cookie) => cookie.name === "ms_session")?.value ?? "";
  expect(sessionToken).not.toBe("");

  await page.goto("/checkout");
  await fillCheckout(page, slowCard);
  const pay = page.getByRole("button", { name: /^Pay / });
  await pay.click();

  // Cut it mid-charge: once the payment service holds the charge (about 1.5 s after Pay on an idle
  // machine), so the first attempt's money is surely on its way when its answer is lost.
  let orderId = "";
  await expect
    .poll(
      async () => {
        const [order] = await orders.orders.list.query({ sessionToken });
        orderId = order?.id ?? "";
        return order ? (await paymentOf(order.id))?.status : undefined;
      },
      { timeout: 20_000, intervals: [100] },
    )
    .toBe("processing");
  await supervisor.processes.kill.mutate({ name: sagaHost });

  // The page may not blame the account: it says the payment is being checked, and keeps the form.
  // Soft, so that a page that gets this wrong still shows below whether the money was taken twice.
  await expect.soft(page.getByTestId("checkout-pending")).toContainText("checking your payment", { timeout: 20_000 });
  await expect.soft(page.getByText("Your account is unavailable")).toHaveCount(0);
  await expect(page.getByLabel("Card number")).toHaveValue(slowCard);

  await expect
    .poll(async () => (await supervisor.processes.list.query()).find((process) => process.name === sagaHost)?.state, {
      timeout: 60_000,
    })
    .toBe("ready");
  await pay.click();

  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Thank you for your order!", { timeout: 60_000 });
  await expect(page.getByTestId("order-status")).toHaveText("Confirmed");

  // Exactly one paid order; every order's charge is keyed by its id, so these are all the charges.
  const placed = await orders.orders.list.query({ sessionToken });
  expect(placed.map((order) => order.status)).toEqual(["paid"]);
  const charged = await Promise.all(placed.map((order) => paymentOf(order.id)));
  expect(charged.filter((payment) => payment?.status === "succeeded").map((payment) => payment?.amountMinor)).toEqual([
    mug.priceMinor,
  ]);
  // The order the shopper is thanked for is the one whose charge was cut, not a new one.
  expect(placed[0]?.id).toBe(orderId);
  expect(page.url()).toContain(orderId);

  expect((await carts.cart.get.query({ owner: { kind: "user", sessionToken } })).lines).toEqual([]);
  await page.reload();
  await expect(page.getByTestId("cart-count")).toHaveCount(0);
});
