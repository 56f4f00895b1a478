/**
 * A stand-in for the storefront's BFF in tests: the procedures the journeys call, answered over
 * HTTP on 127.0.0.1 (port 0) in tRPC's batch wire format with superjson, with cookies for the
 * visitor and the session as the real one sets them. It records every request (its procedures and
 * headers) so a test can count them and read what they carried. Never used outside tests.
 */
import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { transformer } from "@microshop/transformer";

export interface FakeRequest {
  readonly method: string;
  /** The procedures of the request, in batch order. */
  readonly paths: readonly string[];
  readonly headers: IncomingHttpHeaders;
}

/** A tRPC error as a procedure throws it. */
export class FakeTrpcError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus: number,
  ) {
    super(message);
  }
}

export interface FakeShopper {
  readonly visitor: string | null;
  readonly session: string | null;
  /** Sets a cookie on the answer. */
  setCookie(name: string, value: string): void;
}

export type FakeProcedure = (input: unknown, shopper: FakeShopper) => unknown;

export interface FakeStorefront {
  readonly url: string;
  readonly requests: readonly FakeRequest[];
  /** How many times the procedure was called (a batch counts each of its procedures). */
  count(path: string): number;
  /** Replaces one procedure's answer, e.g. to fail it or slow it down. */
  answer(path: string, procedure: FakeProcedure): void;
  close(): Promise<void>;
}

const declinedDigits = "4000000000000002";

interface Line {
  productId: string;
  quantity: number;
}

export async function startFakeStorefront(): Promise<FakeStorefront> {
  const requests: FakeRequest[] = [];
  const carts = new Map<string, Line[]>();
  const users = new Map<string, { email: string; name: string }>();
  let sessions = 0;
  let visitors = 0;

  const cartOf = (shopper: FakeShopper, create: boolean): Line[] => {
    let key = shopper.session
      ? `user:${users.get(shopper.session)?.email}`
      : shopper.visitor
        ? `visitor:${shopper.visitor}`
        : null;
    if (!key && create) {
      const visitor = `v_${++visitors}`;
      shopper.setCookie("visitor", visitor);
      key = `visitor:${visitor}`;
    }
    if (!key) return [];
    const lines = carts.get(key) ?? [];
    carts.set(key, lines);
    return lines;
  };
  const view = (lines: readonly Line[]) => ({ lines, itemCount: lines.reduce((sum, line) => sum + line.quantity, 0) });
  const product = (slug: string) => ({ id: `prod_${slug}`, slug, name: slug });
  const signedIn = (shopper: FakeShopper) => {
    const user = shopper.session ? users.get(shopper.session) : undefined;
    if (!user) throw new FakeTrpcError("UNAUTHORIZED", "Sign in to check out.", 401);
    return user;
  };

  const procedures = new Map<string, FakeProcedure>([
    ["catalog.featured", () => [product("enamel-kettle"), product("linen-apron")]],
    ["catalog.categories", () => [{ slug: "kitchen", name: "Kitchen" }]],
    ["catalog.search", () => ({ items: [product("enamel-kettle"), product("oak-board")], total: 2 })],
    ["catalog.bySlug", (input) => product((input as { slug: string }).slug)],
    ["stock.forProduct", () => ({ status: "in_stock", available: 10, label: "In stock" })],
    ["cart.get", (_input, shopper) => view(cartOf(shopper, false))],
    [
      "cart.add",
      (input, shopper) => {
        const { productId, quantity } = input as Line;
        const lines = cartOf(shopper, true);
        const line = lines.find((existing) => existing.productId === productId);
        if (line) line.quantity += quantity;
        else lines.push({ productId, quantity });
        return view(lines);
      },
    ],
    [
      "cart.remove",
      (input, shopper) => {
        const lines = cartOf(shopper, true);
        const index = lines.findIndex((line) => line.productId === (input as { productId: string }).productId);
        if (index >= 0) lines.splice(index, 1);
        return view(lines);
      },
    ],
    [
      "account.signUp",
      (input, shopper) => {
        const { email, name } = input as { email: string; name: string };
        const token = `s_${++sessions}`;
        const visitorLines = cartOf(shopper, false);
        users.set(token, { email, name });
        carts.set(`user:${email}`, [...visitorLines]);
        shopper.setCookie("session", token);
        return { user: { id: `user_${sessions}`, email, name } };
      },
    ],
    ["account.me", (_input, shopper) => ({ user: shopper.session ? (users.get(shopper.session) ?? null) : null })],
    [
      "checkout.place",
      (input, shopper) => {
        signedIn(shopper);
        const lines = cartOf(shopper, false);
        if (lines.length === 0) throw new FakeTrpcError("BAD_REQUEST", "Your cart is empty.", 400);
        const digits = (input as { card: { number: string } }).card.number.replaceAll(" ", "");
        if (digits === declinedDigits) throw new FakeTrpcError("PAYMENT_REQUIRED", "Your card was declined.", 402);
        lines.splice(0);
        return { status: "paid", checkoutKey: (input as { checkoutKey: string }).checkoutKey };
      },
    ],
    ["orders.list", (_input, shopper) => (signedIn(shopper), [])],
    ["inbox.list", (_input, shopper) => (signedIn(shopper), [])],
  ]);

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://fake");
    const paths = decodeURIComponent(url.pathname.replace(/^\/api\/trpc\//, "")).split(",");
    requests.push({ method: request.method ?? "GET", paths, headers: request.headers });
    let rawInputs: string | null = url.searchParams.get("input");
    if (request.method === "POST") {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      rawInputs = Buffer.concat(chunks).toString("utf8");
    }
    const inputs = (rawInputs ? JSON.parse(rawInputs) : {}) as Record<string, Parameters<typeof transformer.deserialize>[0]>;
    const cookies = new Map(
      (request.headers.cookie ?? "")
        .split(";")
        .map((pair) => pair.trim().split("=") as [string, string])
        .filter(([name]) => name),
    );
    const setCookies: string[] = [];
    const shopper: FakeShopper = {
      visitor: cookies.get("visitor") ?? null,
      session: cookies.get("session") ?? null,
      setCookie: (name, value) => setCookies.push(`${name}=${value}; Path=/; HttpOnly; SameSite=Lax`),
    };
    const items: unknown[] = [];
    let status = 200;
    for (const [index, path] of paths.entries()) {
      const raw = inputs[String(index)];
      const input = raw ? transformer.deserialize(raw) : undefined;
      try {
        const procedure = procedures.get(path);
        if (!procedure) throw new FakeTrpcError("NOT_FOUND", `No procedure ${path}`, 404);
        items.push({ result: { data: transformer.serialize(await procedure(input, shopper)) } });
      } catch (error) {
        const known = error instanceof FakeTrpcError ? error : new FakeTrpcError("INTERNAL_SERVER_ERROR", String(error), 500);
        status = paths.length > 1 ? 207 : known.httpStatus;
        items.push({
          error: { json: { message: known.message, code: -32000, data: { code: known.code, httpStatus: known.httpStatus } } },
        });
      }
    }
    response.writeHead(status, { "content-type": "application/json", "set-cookie": setCookies });
    response.end(JSON.stringify(items));
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { "content-type": "text/plain" });
      response.end(String(error));
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    count: (path) => requests.reduce((sum, request) => sum + request.paths.filter((called) => called === path).length, 0),
    answer: (path, procedure) => void procedures.set(path, procedure),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}
