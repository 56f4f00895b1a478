/**
 * The direct path for a plain JSON call must answer exactly as tRPC's own adapter: the same
 * requests go to a server on each, and the status, the body and what `onError` heard must match,
 * for answers, refusals and failures alike. What it does not take (GET, batches, a body too big or
 * not JSON, an unknown procedure) the adapter answers behind it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { initTRPC, TRPCError } from "@trpc/server";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import type { TRPCRequestInfo } from "@trpc/server/unstable-core-do-not-import";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { transformer } from "@microshop/transformer";
import { createErrorFormatter } from "./trpc";
import { createTRPCNodeHandler, type HandlerFailure } from "./trpc-handler";

interface Context {
  readonly caller: string;
}

const t = initTRPC.context<Context>().create({ transformer, errorFormatter: createErrorFormatter("echo") });
let bumps = 0;
const router = t.router({
  echo: t.procedure.input(z.object({ text: z.string().max(20) })).query(({ input, ctx }) => ({
    text: input.text,
    caller: ctx.caller,
    at: new Date(0),
  })),
  bump: t.procedure.input(z.object({ by: z.number().int() })).mutation(({ input }) => {
    bumps += input.by;
    return { by: input.by };
  }),
  missingUser: t.procedure.query((): never => {
    throw new TRPCError({ code: "NOT_FOUND", message: "No such user" });
  }),
  broken: t.procedure.mutation((): never => {
    throw new Error("the disk is full");
  }),
  nested: t.router({ deeper: t.procedure.query(() => ({ ok: true, when: new Map([["a", 1]]) })) }),
});

/** What each context was told of its request, to compare: the calls' paths, the type, the URL. */
const told: unknown[] = [];

/** Refuses a request that says `x-deny`, as the runtime's caller check refuses a bad token. */
const createContext = ({ req, info }: { req: IncomingMessage; info: TRPCRequestInfo }): Promise<Context> => {
  told.push({ paths: info.calls.map((call) => call.path), type: info.type, batch: info.isBatchCall, url: info.url?.pathname });
  return req.headers["x-deny"]
    ? Promise.reject(new TRPCError({ code: "UNAUTHORIZED", message: "not one of ours" }))
    : Promise.resolve({ caller: "order" });
};

const maxBodySize = 2_000;

function record(failures: Array<Record<string, unknown>>) {
  return ({ error, path, type, input, ctx }: Omit<HandlerFailure, "req">) =>
    failures.push({ code: error.code, message: error.message, path, type, input, ctx });
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const adapterFailures: Array<Record<string, unknown>> = [];
const directFailures: Array<Record<string, unknown>> = [];
let adapter: Awaited<ReturnType<typeof listen>>;
let direct: Awaited<ReturnType<typeof listen>>;

beforeAll(async () => {
  adapter = await listen(
    createHTTPHandler({ router, maxBodySize, allowMethodOverride: true, createContext, onError: record(adapterFailures) }),
  );
  direct = await listen(createTRPCNodeHandler({ router, maxBodySize, createContext, onError: record(directFailures) }));
});

afterAll(async () => {
  for (const { server } of [adapter, direct]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

interface Sent {
  readonly path: string;
  readonly method?: string;
  readonly body?: string;
  readonly headers?: Record<string, string>;
}

async function send(base: string, { path, method = "POST", body, headers = {} }: Sent) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    body: text.length > 0 ? (JSON.parse(text) as unknown) : text,
    chunked: response.headers.get("transfer-encoding") === "chunked",
  };
}

/** Sends `request` to both servers; expects the same answer and the same report to `onError`. */
async function sameAnswer(request: Sent) {
  adapterFailures.length = 0;
  directFailures.length = 0;
  told.length = 0;
  const expected = await send(adapter.url, request);
  const adapterTold = told.splice(0);
  const actual = await send(direct.url, request);
  expect({ ...actual, chunked: undefined }).toEqual({ ...expected, chunked: undefined });
  expect(directFailures).toEqual(adapterFailures);
  expect(told).toEqual(adapterTold);
  return actual;
}

const json = (value: unknown) => JSON.stringify(transformer.serialize(value));

describe("the direct path answers a plain JSON call as tRPC's adapter does", () => {
  it("a query sent as POST, with the transformer's types", async () => {
    const answer = await sameAnswer({ path: "/echo", body: json({ text: "hi" }) });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      result: {
        data: { json: { text: "hi", caller: "order", at: "1970-01-01T00:00:00.000Z" }, meta: { values: { at: ["Date"] } } },
      },
    });
  });

  it("a mutation, once each", async () => {
    bumps = 0;
    const answer = await sameAnswer({ path: "/bump", body: json({ by: 2 }) });
    expect(bumps).toBe(4);
    expect(answer.body).toMatchObject({ result: { data: { json: { by: 2 } } } });
  });

  it("a nested procedure", async () => {
    expect((await sameAnswer({ path: "/nested.deeper", body: json(undefined) })).status).toBe(200);
  });

  it("bad input: 400 with zod's field errors, reported with the input", async () => {
    const answer = await sameAnswer({ path: "/echo", body: json({ text: "x".repeat(30) }) });
    expect(answer.status).toBe(400);
    expect(directFailures).toMatchObject([{ code: "BAD_REQUEST", path: "echo", type: "query", input: { text: "x".repeat(30) } }]);
  });

  it("a typed refusal from the procedure keeps its code and message", async () => {
    expect((await sameAnswer({ path: "/missingUser", body: json(undefined) })).status).toBe(404);
  });

  it("a failure is a 500 with the formatter's shape", async () => {
    const answer = await sameAnswer({ path: "/broken", body: json(undefined) });
    expect(answer.status).toBe(500);
    expect(directFailures).toMatchObject([{ code: "INTERNAL_SERVER_ERROR", message: "the disk is full", path: "broken" }]);
  });

  it("a refusal by createContext (401) before the procedure reads its input", async () => {
    const answer = await sameAnswer({ path: "/echo", body: json({ text: "hi" }), headers: { "x-deny": "1" } });
    expect(answer.status).toBe(401);
    expect(directFailures).toMatchObject([{ code: "UNAUTHORIZED", input: undefined, ctx: undefined }]);
  });

  it("answers in one write with its length, not chunked as the adapter streams it", async () => {
    const request = { path: "/echo", body: json({ text: "hi" }) };
    expect((await send(adapter.url, request)).chunked).toBe(true);
    expect((await send(direct.url, request)).chunked).toBe(false);
  });
});

describe("what the direct path leaves to the adapter is answered the same", () => {
  it.each<[string, Sent]>([
    ["an unknown procedure", { path: "/nothing", body: json({}) }],
    ["a body that is not JSON", { path: "/echo", body: "{not json" }],
    [
      "a body that is not the transformer's",
      { path: "/echo", body: JSON.stringify({ json: { text: "hi" }, meta: { values: { text: ["nonsense"] } } }) },
    ],
    ["an empty body", { path: "/echo", body: "" }],
    ["a body over the limit (413)", { path: "/echo", body: json({ text: "x".repeat(5_000) }) }],
    ["a GET query with its input in the URL", { path: `/echo?input=${encodeURIComponent(json({ text: "hi" }))}`, method: "GET" }],
    ["a batch", { path: "/echo,missingUser?batch=1", body: JSON.stringify({ 0: transformer.serialize({ text: "hi" }) }) }],
    ["a mutation asked for by GET", { path: "/bump", method: "GET" }],
    ["a path the URL would decode", { path: "/ech%6F", body: json({ text: "hi" }) }],
  ])("%s", async (_name, request) => {
    await sameAnswer(request);
  });
});
