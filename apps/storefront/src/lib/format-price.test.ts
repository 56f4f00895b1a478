import { describe, expect, it } from "vitest";
import { formatPrice } from "./format-price";

describe("formatPrice", () => {
  it("formats cents as dollars", () => {
    expect(formatPrice(4900, "USD")).toBe("$49.00");
    expect(formatPrice(1999, "USD")).toBe("$19.99");
    expect(formatPrice(5, "USD")).toBe("$0.05");
  });

  it("groups thousands", () => {
    expect(formatPrice(123456789, "USD")).toBe("$1,234,567.89");
  });

  it("respects currencies without minor units", () => {
    expect(formatPrice(1500, "JPY")).toBe("¥1,500");
  });

  it("formats for another locale", () => {
    expect(formatPrice(4900, "EUR", "de-DE")).toBe("49,00\u00a0€");
  });
});
