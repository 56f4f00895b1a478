import { describe, expect, it } from "vitest";
import { POST, GET } from "~/app/api/trpc/[trpc]/route";

const origin = "http://127.0.0.1:3000";
const ours = {
  host: "127.0.0.1:3000",
  origin,
  "sec-fetch-site": "same-origin",
  "x-csrf-protection": "1",
  "content-type": "application/json",
};

function post(path: string, headers: Record<string, string>, body: BodyInit = "{}"): Request {
  return new Request(`${origin}/api/trpc/${path}`, { method: "POST", headers, body });
}

interface ErrorEnvelope {
  readonly error: {
    readonly json: {
      readonly message: string;
      readonly data: { readonly code: string; readonly httpStatus: number; readonly path: string };
    };
  };
}

describe("the BFF's front door", () => {
  it("lets our own pages' mutations through, with the security headers", async () => {
    const response = await POST(post("account.signOut?batch=1", ours, JSON.stringify({ 0: { json: null } })));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([{ result: { data: { json: { ok: true } } } }]);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("refuses a cross-origin fetch to a mutation with 403 and a message the shop shows", async () => {
    const forged = post("account.signOut,cart.add?batch=1", {
      ...ours,
      origin: "https://evil.example",
      "sec-fetch-site": "cross-site",
    });
    const response = await POST(forged);
    expect(response.status).toBe(403);
    const body = (await response.json()) as ErrorEnvelope[];
    expect(body.map((entry) => [entry.error.json.data.path, entry.error.json.data.code])).toEqual([
      ["account.signOut", "FORBIDDEN"],
      ["cart.add", "FORBIDDEN"],
    ]);
    expect(body[0]?.error.json.message).toBe(
      "This request came from outside the shop and was refused. Reload the page and try again.",
    );
  });

  it("refuses a cross-site form post with 403, not a parse error", async () => {
    const form = post(
      "cart.add",
      { host: "127.0.0.1:3000", origin: "https://evil.example", "sec-fetch-site": "cross-site", "content-type": "text/plain" },
      '{"json":{"productId":"x"}}=',
    );
    const response = await POST(form);
    expect(response.status).toBe(403);
    expect(((await response.json()) as ErrorEnvelope).error.json.data.code).toBe("FORBIDDEN");
  });

  it("refuses a same-origin call that lacks the custom header (an old browser's form post)", async () => {
    const { "x-csrf-protection": _dropped, "sec-fetch-site": _site, ...formLike } = ours;
    expect((await POST(post("account.signOut", formLike))).status).toBe(403);
  });

  it("refuses a body over the limit with 413 before parsing it", async () => {
    const huge = JSON.stringify({ 0: { json: { productId: "x".repeat(200_000) } } });
    const response = await POST(post("cart.add?batch=1", ours, huge));
    expect(response.status).toBe(413);
    expect(((await response.json()) as ErrorEnvelope[])[0]?.error.json.data.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("answers malformed and deeply nested bodies with a 4xx, never a 500", async () => {
    for (const body of [
      "{",
      "[".repeat(40_000) + "]".repeat(40_000),
      JSON.stringify({ 0: { json: { productId: { a: { b: { c: [1, [2, [3]]] } } } } } }),
    ]) {
      const response = await POST(post("cart.add?batch=1", ours, body));
      expect(response.status, body.slice(0, 20)).toBeGreaterThanOrEqual(400);
      expect(response.status, body.slice(0, 20)).toBeLessThan(500);
    }
  });

  it("does not check queries: links and server renders are not forgeries", async () => {
    const response = await GET(
      new Request(`${origin}/api/trpc/catalog.search?input=${encodeURIComponent(JSON.stringify({ json: { pageSize: 500 } }))}`, {
        headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
      }),
    );
    expect(response.status).toBe(400);
  });
});
