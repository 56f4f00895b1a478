import { createTRPCClient, unstable_localLink as localLink, TRPCClientError } from "@trpc/client";
import { initTRPC, TRPCError } from "@trpc/server";
import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { downstreamCode, isOutage, isOutageCode, isTimeout, type ErrorCode } from "./index";

const t = initTRPC.create();
const codes = Object.keys(TRPC_ERROR_CODES_BY_KEY) as ErrorCode[];
const router = t.router({
  fail: t.procedure.input(z.object({ code: z.enum(codes) })).query(({ input }) => {
    throw new TRPCError({ code: input.code, message: `failed with ${input.code}` });
  }),
});
const client = createTRPCClient<typeof router>({ links: [localLink({ router, createContext: () => Promise.resolve({}) })] });

/** What a caller catches when the service answers with `code`. */
async function answered(code: ErrorCode): Promise<unknown> {
  return client.fail.query({ code }).catch((error: unknown) => error);
}

/** What a caller catches when nothing answers: the transport's own failure, wrapped by tRPC. */
const unanswered = TRPCClientError.from(new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED") }));
/** What the client factory's deadline fails a call with. */
const deadline = new TRPCClientError("The product service did not answer within 50 ms", {
  meta: { timeout: true, service: "product" },
});
/** Like the DOMException an aborted fetch rejects with (no DOM types here: this package is checked without them). */
function domException(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}
/** What a call given `AbortSignal.timeout` fails with. */
const aborted = TRPCClientError.from(domException("TimeoutError", "The operation timed out."));

const outages: ErrorCode[] = [
  "INTERNAL_SERVER_ERROR",
  "SERVICE_UNAVAILABLE",
  "BAD_GATEWAY",
  "GATEWAY_TIMEOUT",
  "TIMEOUT",
  "CLIENT_CLOSED_REQUEST",
];
const refusals = codes.filter((code) => !outages.includes(code));

describe("downstreamCode", () => {
  it.each(codes)("reads %s from a service that answered with it", async (code) => {
    expect(downstreamCode(await answered(code))).toBe(code);
  });

  it.each([
    ["no answer", unanswered],
    ["our deadline", deadline],
    ["an aborted signal", aborted],
    ["an error that is not tRPC's", new Error("boom")],
    ["a thrown string", "boom"],
  ])("is undefined for %s", (_, error) => {
    expect(downstreamCode(error)).toBeUndefined();
  });
});

describe("isTimeout", () => {
  it.each([
    ["the client factory's deadline", deadline],
    ["an AbortSignal.timeout", aborted],
    ["an aborted call", TRPCClientError.from(domException("AbortError", "This operation was aborted"))],
  ])("is true for %s", (_, error) => {
    expect(isTimeout(error)).toBe(true);
  });

  it("is false for no answer, and for a service that answered GATEWAY_TIMEOUT itself", async () => {
    expect(isTimeout(unanswered)).toBe(false);
    expect(isTimeout(await answered("GATEWAY_TIMEOUT"))).toBe(false);
  });
});

describe("isOutage", () => {
  it.each(outages)("is true for an answer of %s", async (code) => {
    expect(isOutage(await answered(code))).toBe(true);
    expect(isOutageCode(code)).toBe(true);
  });

  it.each(refusals)("is false for a definite answer of %s", async (code) => {
    expect(isOutage(await answered(code))).toBe(false);
    expect(isOutageCode(code)).toBe(false);
  });

  it.each([
    ["no answer", unanswered],
    ["our deadline", deadline],
    ["an aborted signal", aborted],
    ["an error that is not tRPC's", new Error("boom")],
  ])("is true for %s: nobody knows what happened", (_, error) => {
    expect(isOutage(error)).toBe(true);
  });
});
