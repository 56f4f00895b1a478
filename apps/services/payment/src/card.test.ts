import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { assertNotExpired, cardSchema, describeCard } from "./card";

const visa = { number: "4242 4242 4242 4242", expMonth: 12, expYear: 2030, cvc: "123", holderName: "Ada Lovelace" };

function errorsFor(input: unknown): Record<string, string[]> {
  const result = cardSchema.safeParse(input);
  if (result.success) throw new Error("expected the card to be refused");
  const byPath: Record<string, string[]> = {};
  for (const issue of result.error.issues) (byPath[issue.path.join(".")] ??= []).push(issue.message);
  return byPath;
}

describe("cardSchema", () => {
  it("accepts spaces in the number and normalises a 2-digit year", () => {
    expect(cardSchema.parse({ ...visa, expYear: 31 })).toEqual({ ...visa, number: "4242424242424242", expYear: 2031 });
  });

  it.each([
    ["a failed Luhn check", "4242 4242 4242 4241"],
    ["letters", "4242 4242 abcd 4242"],
    ["too few digits", "4242 4242 42"],
    ["an unknown network", "0000 0000 0000 0000"],
  ])("refuses a number with %s", (_, number) => {
    expect(errorsFor({ ...visa, number })).toEqual({ number: ["Your card number is invalid"] });
  });

  it("wants 3 digits of security code for Visa and 4 for Amex", () => {
    expect(errorsFor({ ...visa, cvc: "1234" })).toEqual({ cvc: ["Your card's security code is invalid"] });
    const amex = { ...visa, number: "3782 822463 10005" };
    expect(errorsFor({ ...amex, cvc: "123" })).toEqual({ cvc: ["Your card's security code is invalid"] });
    expect(cardSchema.parse({ ...amex, cvc: "1234" }).cvc).toBe("1234");
  });

  it("reports each problem once, on its own field", () => {
    expect(errorsFor({ ...visa, number: "4242 4242 4242 4241", cvc: "12" })).toEqual({
      number: ["Your card number is invalid"],
      cvc: ["Your card's security code is invalid"],
    });
  });

  it("refuses a 3-digit year and a month out of range", () => {
    expect(Object.keys(errorsFor({ ...visa, expYear: 202, expMonth: 13 })).sort()).toEqual(["expMonth", "expYear"]);
  });
});

describe("describeCard", () => {
  it("keeps only the brand and the last four digits", () => {
    expect(describeCard("378282246310005")).toEqual({ brand: "american-express", last4: "0005", securityCodeLength: 4 });
    expect(describeCard("5555555555554444")).toMatchObject({ brand: "mastercard", last4: "4444" });
  });
});

describe("assertNotExpired", () => {
  const now = new Date("2026-11-24T12:00:00Z");

  it("lets a card through to the end of its expiry month", () => {
    expect(() => assertNotExpired({ expMonth: 11, expYear: 2026 }, now)).not.toThrow();
  });

  it("refuses an expired card with a field error on the expiry year", () => {
    let error: unknown;
    try {
      assertNotExpired({ expMonth: 10, expYear: 2026 }, now);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
    expect((error as TRPCError).cause).toBeInstanceOf(ZodError);
    expect(((error as TRPCError).cause as ZodError).issues[0]).toMatchObject({
      path: ["card", "expYear"],
      message: "Your card has expired",
    });
  });
});
