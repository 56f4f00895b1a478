import { describe, expect, it } from "vitest";
import { z } from "zod";
import { baseConfigSchema, ConfigError, parseConfig } from "./config";

describe("parseConfig", () => {
  it("fills safe local defaults from an empty environment", () => {
    expect(parseConfig("svc", baseConfigSchema, {})).toEqual({
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      SHUTDOWN_TIMEOUT_MS: 10_000,
      MAX_BODY_BYTES: 1_000_000,
    });
  });

  it("coerces numbers from strings", () => {
    expect(parseConfig("svc", baseConfigSchema, { PORT: "4010" }).PORT).toBe(4010);
  });

  it("names the variable, the problem and the bad value", () => {
    const schema = baseConfigSchema.extend({ DATABASE_URL: z.string().startsWith("file:") });
    let error: unknown;
    try {
      parseConfig("product", schema, { PORT: "eighty", DATABASE_URL: "postgres://x" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain("Invalid configuration for product");
    expect(message).toMatch(/PORT: .*\(got "eighty"\)/);
    expect(message).toMatch(/DATABASE_URL: .*\(got "postgres:\/\/x"\)/);
  });

  it("never prints a URL's password, even in a wrong value", () => {
    const schema = baseConfigSchema.extend({ DATABASE_URL: z.string().startsWith("file:") });
    expect(() => parseConfig("order", schema, { DATABASE_URL: "mysql://shop:s3cret-pw@db:3306/order" })).toThrow(
      /DATABASE_URL: .*\(got "mysql:\/\/shop:\*\*\*@db:3306\/order"\)/,
    );
  });
});
