import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fixtures } from "@microshop/seed-data/catalog";
import { expect, test, type APIResponse } from "@playwright/test";
import { guardPage } from "../support/browser-guards";
import { addToCart, newShopper, seedProduct, signUp, testCards } from "../support/shopper";
import { storefrontUrl } from "../support/stack";

const kettle = seedProduct(fixtures.inStockSlug);
// Script tags, attribute breakouts, quotes, non-BMP unicode and an RTL override: each must show as text.
const hostile = {
  name: `<script>window.__xss=1</script>"><img src=x onerror="window.__xss=2">`,
  line1: `'"><svg onload=window.__xss=3> 𝕄𝕚𝕔𝕣𝕠 \u202Eevil\u202C`,
  city: `</p><iframe srcdoc="<script>parent.__xss=4</script>">`,
  postalCode: `"'><b>1</b>`,
  search: `"><img src=x onerror=window.__xss=5> \u202Egnp.exe`,
};

test("every page a shopper sees passes the Content-Security-Policy, and hostile names show as text", async ({ page }) => {
  const guard = await guardPage(page);
  const shopper = { ...newShopper("hostile"), name: hostile.name };

  for (const path of ["/", "/c/kitchen", `/p/${kettle.slug}`, "/search", "/sign-in", "/no-such-page"]) await page.goto(path);
  await addToCart(page, kettle.slug);
  await signUp(page, shopper, "/cart");
  await expect(page.getByRole("button", { name: "Sign out" })).toHaveAttribute(
    "title",
    `Signed in as ${hostile.name} (${shopper.email})`,
  );

  await page.goto("/checkout");
  await page.getByLabel("Full name").fill(hostile.name);
  await page.getByLabel("Street address").fill(hostile.line1);
  await page.getByLabel("City").fill(hostile.city);
  await page.getByLabel("Postal code").fill(hostile.postalCode);
  await page.getByLabel("Country code").fill("GB");
  await page.getByLabel("Card number").fill(testCards.success);
  await page.getByLabel("Expiry month").fill("12");
  await page.getByLabel("Expiry year").fill("2040");
  await page.getByLabel("Security code").fill("123");
  await page.getByLabel("Name on card").fill(hostile.name);
  await page.getByRole("button", { name: /^Pay / }).click();
  await expect(page.getByTestId("order-status")).toHaveText("Confirmed");
  await expect(
    page.getByText(`Shipping to ${hostile.name}, ${hostile.line1}, ${hostile.postalCode} ${hostile.city}, GB`),
  ).toBeVisible();

  await page.goto("/orders");
  await expect(page.getByTestId("order-row")).toHaveCount(1);

  // The emails are HTML made by the email service from these values, shown in a sandboxed srcdoc frame.
  await page.goto("/inbox");
  const welcome = page.getByTestId("inbox-row").filter({ hasText: "Welcome to Microshop" });
  await expect(welcome).toHaveCount(1, { timeout: 15_000 });
  await welcome.getByRole("link").click();
  await expect(page.frameLocator("iframe").getByRole("heading", { name: `Welcome, ${hostile.name}!` })).toBeVisible();
  await page.goto("/inbox");
  const confirmation = page.getByTestId("inbox-row").filter({ hasText: "is confirmed" });
  await expect(confirmation).toHaveCount(1, { timeout: 15_000 });
  await confirmation.getByRole("link").click();
  const email = page.frameLocator("iframe");
  await expect(email.getByText(hostile.line1)).toBeVisible();
  await expect(email.getByText(`${hostile.postalCode} ${hostile.city}`)).toBeVisible();

  await page.goto(`/search?q=${encodeURIComponent(hostile.search)}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Results for “${hostile.search}”`);
  await expect(page.getByRole("searchbox")).toHaveValue(hostile.search);

  // No element any payload would have made exists anywhere, in the page or the email frame.
  await expect(page.locator('img[src="x"], svg[onload], iframe[srcdoc*="__xss"]')).toHaveCount(0);
  await guard.assertClean();
});

test("documents carry the CSP with a fresh nonce, and the other security headers", async ({ request }) => {
  const first = await request.get("/");
  const second = await request.get("/sign-in");
  const policy = first.headers()["content-security-policy"] ?? "";
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).toContain("connect-src 'self'");
  expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(policy).not.toContain("unsafe-eval");
  const nonceOf = (csp: string) => /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonceOf(second.headers()["content-security-policy"] ?? "")).not.toBe(nonceOf(policy));
  // The nonce is on Next.js's own scripts: that is what lets the page hydrate under this policy.
  expect(await first.text()).toContain(`nonce="${nonceOf(policy)}"`);
  for (const response of [first, await request.get("/api/trpc/catalog.categories")]) {
    expect(response.headers()["x-content-type-options"]).toBe("nosniff");
    expect(response.headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(response.headers()["x-frame-options"]).toBe("DENY");
  }
});

test("a kept page comes again under a fresh nonce of its own, and runs in the browser under the strict policy", async ({
  page,
  request,
}) => {
  // Kept by the storefront's page cache once seen (apps/storefront/src/front-door/page-cache.ts), for
  // CATALOG_CACHE_SECONDS (2 s in this stack): a view that comes later renders and keeps it again.
  const path = `/p/${kettle.slug}`;
  const nonceOf = (csp: string | undefined) => /'nonce-([^']+)'/.exec(csp ?? "")?.[1] ?? "";
  let rendered = "";
  let kept: APIResponse | undefined;
  await expect(async () => {
    rendered = nonceOf((await request.get(path)).headers()["content-security-policy"]);
    kept = await request.get(path);
    expect(kept.headers()["x-page-cache"]).toBe("hit");
  }).toPass({ timeout: 30_000 });
  const policy = kept?.headers()["content-security-policy"];
  expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(nonceOf(policy)).not.toBe(rendered);
  const html = (await kept?.text()) ?? "";
  expect(html).toContain(`nonce="${nonceOf(policy)}"`);
  expect(html).not.toContain(rendered);
  // The stock level is never kept in the page: the browser asks for it, from a preload in the HTML.
  expect(html).not.toContain('data-testid="stock-status"');
  expect(html).toContain('<link rel="preload" as="fetch" href="/api/trpc/stock.forProduct?input=');

  const guard = await guardPage(page);
  await expect(async () => {
    expect((await page.goto(path))?.headers()["x-page-cache"]).toBe("hit");
  }).toPass({ timeout: 30_000 });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(kettle.name);
  // Asked by the browser after the page came: a level, not the skeleton a kept page holds.
  await expect(page.getByTestId("stock-status")).toHaveAttribute("data-status", /^(in_stock|low)$/);
  // Hydrated: the page's scripts ran under this response's nonce, so its buttons work.
  await page.getByRole("button", { name: "Add to cart" }).click();
  await expect(page.getByTestId("cart-feedback")).toContainText("Added to cart");
  await guard.assertClean();
});

test("a page on another origin cannot sign a shopper out or fill their cart", async ({ page }) => {
  await signUp(page, newShopper("csrf"));
  // A real page on another origin and site (localhost, not 127.0.0.1). It is served from loopback,
  // because the browser's own private-network rules stop a public page before it reaches the shop.
  const html = `<!doctype html><form id="f" method="post" enctype="text/plain" action="${storefrontUrl}/api/trpc/cart.add"><input name='{"json":{"productId":"${kettle.id}","x":"' value='"}}'></form>
    <script>fetch("${storefrontUrl}/api/trpc/account.signOut", { method: "POST", mode: "no-cors", credentials: "include", body: "{}" });</script>`;
  const server = createServer((_request, response) => response.writeHead(200, { "content-type": "text/html" }).end(html));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const evil = `http://localhost:${(server.address() as AddressInfo).port}`;
  // The forged fetch gets nothing it can read: the refusal comes with Cross-Origin-Resource-Policy.
  const forgedFetch = page.waitForEvent("requestfailed", (request) => request.url().includes("/api/trpc/account.signOut"));
  await page.goto(`${evil}/`);
  expect((await forgedFetch).failure()?.errorText).toContain("ERR_BLOCKED_BY_RESPONSE");
  // A form post is a navigation, so its answer shows: 403 and why.
  const forgedForm = page.waitForResponse((response) => response.url().includes("/api/trpc/cart.add"));
  await page.evaluate(() => (document.getElementById("f") as HTMLFormElement).submit());
  const refused = await forgedForm;
  expect(refused.status()).toBe(403);
  expect(await refused.text()).toContain("This request came from outside the shop and was refused.");

  // Still signed in, and the cart is untouched.
  await page.goto("/cart");
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await expect(page.getByTestId("cart-line")).toHaveCount(0);
  server.close();
});

test("the BFF refuses a mutation with a foreign Origin, and an oversized body before parsing it", async ({ request }) => {
  const forged = await request.post("/api/trpc/account.signOut", {
    headers: { origin: "https://evil.example", "content-type": "application/json", "x-csrf-protection": "1" },
    data: "{}",
  });
  expect(forged.status()).toBe(403);
  expect(await forged.json()).toMatchObject({ error: { json: { data: { code: "FORBIDDEN" } } } });

  const headers = { origin: storefrontUrl, "content-type": "application/json", "x-csrf-protection": "1" };
  const huge = await request.post("/api/trpc/cart.add", {
    headers,
    data: JSON.stringify({ json: { productId: "x".repeat(2_000_000) } }),
  });
  expect(huge.status()).toBe(413);
  const deep = await request.post("/api/trpc/cart.add", { headers, data: "[".repeat(40_000) + "]".repeat(40_000) });
  expect(deep.status()).toBeGreaterThanOrEqual(400);
  expect(deep.status()).toBeLessThan(500);
  // Our own kind of call still works.
  expect((await request.post("/api/trpc/account.signOut", { headers, data: "{}" })).status()).toBe(200);
});

test("too many wrong passwords: the sign-in form says how long to wait", async ({ page, browser }) => {
  const shopper = newShopper("limited");
  const other = await browser.newContext();
  await signUp(await other.newPage(), shopper);
  await other.close();

  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(shopper.email);
  await page.getByLabel("Password").fill("not the password");
  for (let attempt = 0; attempt < 5; attempt++) {
    const answered = page.waitForResponse((response) => response.url().includes("/api/trpc/account.signIn"));
    await page.getByRole("button", { name: "Sign in" }).click();
    expect((await answered).status()).toBe(401);
    await expect(page.locator("form").getByRole("alert")).toHaveText("Email or password is incorrect");
  }
  await page.getByLabel("Password").fill(shopper.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("form").getByRole("alert")).toHaveText(/^Too many attempts; try again in \d+ (seconds|minutes)\.$/);
});
