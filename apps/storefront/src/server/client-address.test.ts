import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "~/env";
import { clientKey } from "./api/session";
import { clientAddress, installSocketAddressHeader, socketAddressHeader } from "./client-address";

// A real HTTP server on loopback with the socket stamp installed, answering with the request's
// client key as the BFF computes it: what a forged header can and cannot change.
let server: Server;
let url = "";

beforeAll(async () => {
  installSocketAddressHeader();
  server = createServer((request, response) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) if (typeof value === "string") headers.set(name, value);
    response.end(JSON.stringify({ key: clientKey({ headers }), behindOneProxy: clientAddress(headers, 1) }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}, 120_000);

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function keysFor(headers: Record<string, string>): Promise<{ key: string; behindOneProxy: string }> {
  return (await (await fetch(url, { headers })).json()) as { key: string; behindOneProxy: string };
}

describe("the client key of a sign-in or sign-up", () => {
  it("is the socket's address when no proxy is trusted, whatever the client writes in its headers", async () => {
    expect(await keysFor({})).toMatchObject({ key: "127.0.0.1" });
    const forged = await keysFor({
      "x-forwarded-for": "203.0.113.77",
      "x-real-ip": "203.0.113.78",
      [socketAddressHeader]: "203.0.113.79",
    });
    expect(forged.key).toBe("127.0.0.1");
  });

  it("is what the nearest trusted proxy reports behind proxies, never what the client prepended", async () => {
    expect((await keysFor({ "x-forwarded-for": "203.0.113.77" })).behindOneProxy).toBe("203.0.113.77");
    const headers = (forwardedFor: string) => new Headers({ "x-forwarded-for": forwardedFor, [socketAddressHeader]: "10.0.0.2" });
    // The client wrote "6.6.6.6"; the outer proxy appended the client's real address, the inner one the outer's.
    expect(clientAddress(headers("6.6.6.6, 198.51.100.4, 10.0.0.1"), 2)).toBe("198.51.100.4");
    expect(clientAddress(headers("6.6.6.6, 198.51.100.4"), 1)).toBe("198.51.100.4");
    // Fewer entries than proxies: nothing in the header is vouched for, the socket is.
    expect(clientAddress(headers("198.51.100.4"), 2)).toBe("10.0.0.2");
  });

  it("counts trusted proxies from a validated TRUSTED_PROXY_HOPS", () => {
    expect(parseEnv({}).TRUSTED_PROXY_HOPS).toBe(0);
    expect(parseEnv({ TRUSTED_PROXY_HOPS: "2" }).TRUSTED_PROXY_HOPS).toBe(2);
    expect(() => parseEnv({ TRUSTED_PROXY_HOPS: "-1" })).toThrow(/TRUSTED_PROXY_HOPS/);
    expect(() => parseEnv({ TRUSTED_PROXY_HOPS: "one" })).toThrow(/TRUSTED_PROXY_HOPS/);
  });
});
