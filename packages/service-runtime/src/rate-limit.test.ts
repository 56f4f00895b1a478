import { describe, expect, it } from "vitest";
import { retryAfterMs, tooManyAttempts, tooManyAttemptsMessage } from "./rate-limit";

describe("rate limit answers", () => {
  it("say how long to wait, in seconds and then in minutes", () => {
    expect(tooManyAttemptsMessage(1)).toBe("Too many attempts; try again in 1 second.");
    expect(tooManyAttemptsMessage(39_001)).toBe("Too many attempts; try again in 40 seconds.");
    expect(tooManyAttemptsMessage(14 * 60_000 + 1)).toBe("Too many attempts; try again in 15 minutes.");
    expect(tooManyAttempts(5_000).code).toBe("TOO_MANY_REQUESTS");
  });

  it("free the window when the oldest attempt that counts leaves it", () => {
    const now = new Date("2026-01-01T00:10:00Z");
    const at = (minute: number) => new Date(`2026-01-01T00:0${minute}:00Z`);
    expect(retryAfterMs([at(1), at(2)], 3, 600_000, now)).toBe(0);
    // Three in the window, limit 2: the second-oldest leaves at 00:12.
    expect(retryAfterMs([at(1), at(2), at(3)], 2, 600_000, now)).toBe(120_000);
  });
});
