import { describe, expect, it } from "vitest";
import { authorizeControl, isLoopback } from "./admin";

const token = "a-long-enough-admin-token";

describe("process control", () => {
  it("needs the configured admin token, wherever the dashboard listens", () => {
    for (const loopbackOnly of [true, false]) {
      expect(() => authorizeControl({ token, loopbackOnly }, null)).toThrow(/Enter the admin token/);
      expect(() => authorizeControl({ token, loopbackOnly }, "a-long-enough-admin-tokeX")).toThrow(/not right/);
      expect(() => authorizeControl({ token, loopbackOnly }, token)).not.toThrow();
    }
  });

  it("is open without a token only while the dashboard listens on loopback", () => {
    expect(() => authorizeControl({ token: undefined, loopbackOnly: true }, null)).not.toThrow();
    expect(() => authorizeControl({ token: undefined, loopbackOnly: false }, "anything")).toThrow(/set DASHBOARD_ADMIN_TOKEN/);
  });

  it("counts only loopback addresses as loopback, not every interface", () => {
    expect(["127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"].map(isLoopback)).toEqual([true, true, true, true, true]);
    expect(["0.0.0.0", "::", "192.168.1.5", "shop.example"].map(isLoopback)).toEqual([false, false, false, false]);
  });
});
