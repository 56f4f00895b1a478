import { describe, expect, it } from "vitest";
import { authorizeControl } from "./admin";

const token = "a-long-enough-admin-token";

describe("process control", () => {
  it("needs the configured admin token, wherever the dashboard runs", () => {
    for (const localDevelopment of [true, false]) {
      expect(() => authorizeControl({ token, localDevelopment }, null)).toThrow(/Enter the admin token/);
      expect(() => authorizeControl({ token, localDevelopment }, "a-long-enough-admin-tokeX")).toThrow(/not right/);
      expect(() => authorizeControl({ token, localDevelopment }, token)).not.toThrow();
    }
  });

  it("is open without a token only in local development", () => {
    expect(() => authorizeControl({ token: undefined, localDevelopment: true }, null)).not.toThrow();
    expect(() => authorizeControl({ token: undefined, localDevelopment: false }, "anything")).toThrow(/set DASHBOARD_ADMIN_TOKEN/);
  });
});
