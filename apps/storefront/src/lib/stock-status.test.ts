import { describe, expect, it } from "vitest";
import { stockStatus } from "./stock-status";

describe("stockStatus", () => {
  it("reads nothing left as out of stock", () => {
    expect(stockStatus(0)).toEqual({
      status: "out_of_stock",
      available: 0,
      label: "Out of stock",
    });
  });

  it("treats a negative count (oversold) as out of stock, never as a negative number", () => {
    expect(stockStatus(-2)).toEqual({
      status: "out_of_stock",
      available: 0,
      label: "Out of stock",
    });
  });

  it("warns when only a few are left", () => {
    expect(stockStatus(3)).toEqual({
      status: "low",
      available: 3,
      label: "Only 3 left",
    });
    expect(stockStatus(1).label).toBe("Only 1 left");
    expect(stockStatus(5).status).toBe("low");
  });

  it("reads plenty as in stock", () => {
    expect(stockStatus(6).status).toBe("in_stock");
    expect(stockStatus(20)).toEqual({
      status: "in_stock",
      available: 20,
      label: "In stock",
    });
  });
});
