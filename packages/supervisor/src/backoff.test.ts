import { describe, expect, it } from "vitest";
import { backoffDelay, defaultBackoff } from "./backoff";

describe("backoffDelay", () => {
  it("starts at half a second, doubles per crash in a row and stops at ten seconds", () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 50].map((crashes) => backoffDelay(defaultBackoff, crashes));
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000]);
  });
});
