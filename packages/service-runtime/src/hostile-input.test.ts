import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { expectOnlyCallerFaults, hostileInput } from "./hostile-input";

describe("expectOnlyCallerFaults", () => {
  it("passes when every refusal blames the caller", async () => {
    await expectOnlyCallerFaults(() => Promise.reject(new TRPCError({ code: "BAD_REQUEST" })), hostileInput({ a: 1 }), 30);
  });

  it("fails on an internal error", async () => {
    const call = (input: unknown) =>
      typeof input === "number" ? Promise.reject(new TRPCError({ code: "INTERNAL_SERVER_ERROR" })) : Promise.resolve();
    await expect(expectOnlyCallerFaults(call, hostileInput(), 200)).rejects.toThrow(/Property failed/);
  });

  it("fails on a plain crash", async () => {
    const call = (input: unknown) =>
      input && typeof input === "object" ? Promise.reject(new TypeError("boom")) : Promise.resolve();
    await expect(expectOnlyCallerFaults(call, hostileInput({ a: 1 }), 200)).rejects.toThrow(/Property failed/);
  });
});
