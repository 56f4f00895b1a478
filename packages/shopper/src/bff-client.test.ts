import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BffClient, type RequestRecord } from "./bff-client";
import { FakeTrpcError, startFakeStorefront, type FakeStorefront } from "./testing/fake-storefront";

let store: FakeStorefront;
beforeEach(async () => {
  store = await startFakeStorefront();
});
afterEach(() => store.close());

function client(extra: Partial<ConstructorParameters<typeof BffClient>[0]> = {}): BffClient {
  return new BffClient({ baseUrl: store.url, clientAddress: "10.1.2.3", timeoutMs: 10_000, ...extra });
}

describe("BffClient", () => {
  it("keeps the cookies the store sets and sends them back, as a browser does", async () => {
    const shopper = client();
    await shopper.mutate("cart.add", { productId: "prod_a", quantity: 1 });
    await shopper.mutate("account.signUp", { name: "A", email: "a@example.com", password: "x".repeat(10) });
    const me = await shopper.query<{ user: { email: string } | null }>("account.me");
    expect(me).toEqual({ ok: true, data: { user: { email: "a@example.com", name: "A" } } });
    expect(store.requests.at(-1)?.headers.cookie).toMatch(/visitor=v_1; session=s_1/);
    // Another client has its own jar.
    expect(await client().query("account.me")).toEqual({ ok: true, data: { user: null } });
  });

  it("sends what the storefront's own client sends, the caller's headers beneath", async () => {
    await client({ headers: { baggage: "a=1", origin: "http://evil.example" } }).mutate("cart.add", {
      productId: "p",
      quantity: 1,
    });
    const { headers } = store.requests[0]!;
    expect(headers).toMatchObject({
      baggage: "a=1",
      origin: store.url,
      "x-csrf-protection": "1",
      "x-forwarded-for": "10.1.2.3",
      "content-type": "application/json",
    });
  });

  it("answers each call of a batch, a refusal as refused and an outage as an error", async () => {
    store.answer("catalog.categories", () => {
      throw new FakeTrpcError("SERVICE_UNAVAILABLE", "The catalog is unavailable", 503);
    });
    store.answer("catalog.bySlug", () => {
      throw new FakeTrpcError("NOT_FOUND", "No such product", 404);
    });
    const records: RequestRecord[] = [];
    let begun = 0;
    const shopper = client({ log: { begin: () => void (begun += 1), end: (record) => void records.push(record) } });
    const results = await shopper.batch([{ path: "catalog.featured", input: { limit: 8 } }, { path: "catalog.categories" }]);
    expect(results[0]?.ok).toBe(true);
    expect(results[1]).toEqual({
      ok: false,
      code: "SERVICE_UNAVAILABLE",
      message: "The catalog is unavailable",
      outcome: "error",
    });
    expect(await shopper.query("catalog.bySlug", { slug: "x" })).toMatchObject({
      ok: false,
      code: "NOT_FOUND",
      outcome: "refused",
    });
    expect(begun).toBe(2);
    expect(records.map((record) => [record.path, record.outcome, record.code])).toEqual([
      ["catalog.featured,catalog.categories", "error", "SERVICE_UNAVAILABLE"],
      ["catalog.bySlug", "refused", "NOT_FOUND"],
    ]);
  });

  it("gives up with ABORTED when the caller's signal aborts, and says a dead port is refused", async () => {
    const gone = new AbortController();
    store.answer("catalog.categories", () => new Promise(() => {}));
    const pending = client({ signal: gone.signal }).query("catalog.categories");
    gone.abort();
    expect(await pending).toMatchObject({ ok: false, code: "ABORTED", outcome: "error" });

    const url = store.url;
    await store.close();
    store = await startFakeStorefront();
    expect(
      await new BffClient({ baseUrl: url, clientAddress: "10.0.0.1", timeoutMs: 10_000 }).query("catalog.categories"),
    ).toMatchObject({
      ok: false,
      code: "ECONNREFUSED",
      outcome: "error",
    });
  });
});
