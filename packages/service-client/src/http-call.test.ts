/**
 * The keep-alive transport under the client factory: what a call carries (POST, the input in the
 * body, the headers), that calls share one connection, that a deadline or the caller's own signal
 * cancels the request on the wire, and that every failure reaches the caller as a `TRPCClientError` its readers understand.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { TRPCClientError } from "@trpc/client";
import { afterEach, describe, expect, it } from "vitest";
import { SERVICE_TOKEN_HEADER } from "@microshop/service-auth";
import { waitBudgetMs } from "@microshop/build-config/vitest";
import { isOutage } from "./errors";
import { createServiceClient } from "./index";
import { createServiceResolver } from "./resolver";
import type { EchoRouter } from "./test-fixtures/echo-server";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

const echoAnswer = JSON.stringify({
  result: { data: { json: { text: "ok", replica: "r", at: "1970-01-01T00:00:00.000Z" }, meta: { values: { at: ["Date"] } } } },
});

/** A server whose answer is `respond`'s; it records each request and the connection it came on. */
async function serve(respond: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
  const seen: Array<{ method: string; url: string; body: string; headers: IncomingMessage["headers"]; socket: Socket }> = [];
  const closed: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", body, headers: req.headers, socket: req.socket });
      respond(req, res, body);
    });
    res.once("close", () => {
      if (!res.writableEnded) closed.push(req);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(
    () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return { seen, closed, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/trpc` };
}

const clientOf = (url: string, timeoutMs = 3_000) =>
  createServiceClient<EchoRouter>("user", {
    resolver: createServiceResolver({ USER_SERVICE_URLS: url }),
    credentials: { caller: "order", signingKey: "A".repeat(43) },
    headers: () => ({ "x-test-id": "t-1" }),
    timeoutMs,
  });

describe("the keep-alive transport", () => {
  it("POSTs the input as JSON with the call's headers, and answers with the transformer's types", async () => {
    const { seen, url } = await serve((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(echoAnswer));
    const answer = await clientOf(url).echo.query({ text: "in-the-body" });
    expect(answer).toEqual({ text: "ok", replica: "r", at: new Date(0) });
    const [request] = seen;
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("/trpc/echo");
    expect(JSON.parse(request?.body ?? "")).toEqual({ json: { text: "in-the-body" } });
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers["x-test-id"]).toBe("t-1");
    expect(request?.headers[SERVICE_TOKEN_HEADER]).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it("makes one call after another on one kept-alive connection", async () => {
    const { seen, url } = await serve((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(echoAnswer));
    const client = clientOf(url);
    for (let call = 0; call < 4; call++) await client.echo.query({ text: `call ${call}` });
    expect(seen).toHaveLength(4);
    expect(new Set(seen.map((request) => request.socket)).size).toBe(1);
  });

  it("cancels the request on the wire at the deadline, and says which service did not answer", async () => {
    const { closed, url } = await serve(() => {
      // Never answers.
    });
    await expect(clientOf(url, 100).echo.query({ text: "slow" })).rejects.toThrow(
      /The user service did not answer within 100 ms/,
    );
    await expect.poll(() => closed.length, { timeout: waitBudgetMs }).toBe(1);
  });

  it("cancels the request on the wire when the caller aborts its own signal, before the deadline", async () => {
    const { closed, seen, url } = await serve(() => {
      // Never answers.
    });
    const caller = new AbortController();
    const call = clientOf(url, 60_000).echo.query({ text: "given up" }, { signal: caller.signal });
    await expect.poll(() => seen.length, { timeout: waitBudgetMs }).toBe(1);
    caller.abort();
    await expect(call).rejects.toThrow(/aborted/i);
    await expect.poll(() => closed.length, { timeout: waitBudgetMs }).toBe(1);
  });

  it("sends nothing for a call whose signal is already aborted", async () => {
    const { seen, url } = await serve((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(echoAnswer));
    await expect(clientOf(url).echo.query({ text: "never" }, { signal: AbortSignal.abort() })).rejects.toThrow(/aborted/i);
    // A call after it goes through: the aborted one left nothing half-open.
    await clientOf(url).echo.query({ text: "after" });
    expect(seen.map((request) => JSON.parse(request.body) as unknown)).toEqual([{ json: { text: "after" } }]);
  });

  it("reports a refused connection as fetch does: no code, an outage, the socket's error as its cause", async () => {
    const error = await clientOf("http://127.0.0.1:9/trpc")
      .echo.query({ text: "x" })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TRPCClientError);
    const cause = (error as TRPCClientError<EchoRouter>).cause;
    expect(cause).toBeInstanceOf(TypeError);
    expect(cause?.message).toBe("fetch failed");
    expect((cause?.cause as NodeJS.ErrnoException | undefined)?.code).toBe("ECONNREFUSED");
    expect(isOutage(error)).toBe(true);
  });

  it("reports an answer that is not tRPC's (a proxy's error page) as a client error, an outage", async () => {
    const { url } = await serve((_req, res) => res.writeHead(502, { "content-type": "text/html" }).end("<h1>Bad gateway</h1>"));
    const error = await clientOf(url)
      .echo.query({ text: "x" })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect(isOutage(error)).toBe(true);
  });

  it("keeps the callee's typed error: its code, status and message", async () => {
    const { url } = await serve((_req, res) =>
      res.writeHead(404, { "content-type": "application/json" }).end(
        JSON.stringify({
          error: { json: { message: "No such user", code: -32004, data: { code: "NOT_FOUND", httpStatus: 404, path: "echo" } } },
        }),
      ),
    );
    const error = await clientOf(url)
      .echo.query({ text: "x" })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<EchoRouter>).message).toBe("No such user");
    expect((error as TRPCClientError<EchoRouter>).data).toMatchObject({ code: "NOT_FOUND", httpStatus: 404 });
    expect(isOutage(error)).toBe(false);
  });
});
