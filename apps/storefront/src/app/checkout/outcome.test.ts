// The page's rule for keeping a checkout key, on the errors the BFF really sends.
import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { isOutcomeUnknown, orderProgress } from "./outcome";

function answered(code: string, httpStatus: number) {
  return TRPCClientError.from({ error: { message: "m", code: -32603, data: { code, httpStatus } } });
}

describe("isOutcomeUnknown", () => {
  it.each([
    ["no answer at all", new TRPCClientError("fetch failed")],
    ["a 503", answered("SERVICE_UNAVAILABLE", 503)],
    ["a 504", answered("GATEWAY_TIMEOUT", 504)],
    ["a 502", answered("BAD_GATEWAY", 502)],
    ["a 500", answered("INTERNAL_SERVER_ERROR", 500)],
    ["something that is not a tRPC error", new Error("boom")],
  ])("keeps the key after %s", (_, error) => {
    expect(isOutcomeUnknown(error)).toBe(true);
  });

  it.each([
    ["a declined card", answered("PAYMENT_REQUIRED", 402)],
    ["invalid input", answered("BAD_REQUEST", 400)],
    ["an item out of stock, or a failed order", answered("CONFLICT", 409)],
    ["too many attempts", answered("TOO_MANY_REQUESTS", 429)],
    ["a session that ended", answered("UNAUTHORIZED", 401)],
  ])("ends the attempt after %s", (_, error) => {
    expect(isOutcomeUnknown(error)).toBe(false);
  });
});

describe("orderProgress", () => {
  it("settles only on paid or failed", () => {
    expect(["reserving", "charging", "committing", "paid", "failed"].map((status) => orderProgress({ status }))).toEqual([
      "settling",
      "settling",
      "settling",
      "paid",
      "failed",
    ]);
  });
});
