import { describe, expect, it } from "vitest";
import { listingHref, parseListingParams } from "./listing-params";

describe("parseListingParams", () => {
  it("reads query, page and sort", () => {
    expect(parseListingParams({ q: " lamp ", page: "3", sort: "price-asc" })).toEqual({ q: "lamp", page: 3, sort: "price-asc" });
  });

  it("falls back to defaults for missing or nonsense values", () => {
    expect(parseListingParams({})).toEqual({
      q: "",
      page: 1,
      sort: "relevance",
    });
    expect(parseListingParams({ page: "-4", sort: "cheapest" })).toEqual({
      q: "",
      page: 1,
      sort: "relevance",
    });
    expect(parseListingParams({ page: "two" }).page).toBe(1);
  });

  it("takes the first of repeated parameters", () => {
    expect(parseListingParams({ q: ["mug", "cup"] }).q).toBe("mug");
  });
});

describe("listingHref", () => {
  const params = { q: "tea cup", page: 2, sort: "name" as const };

  it("keeps the query and sort when changing page", () => {
    expect(listingHref("/search", params, { page: 3 })).toBe("/search?q=tea+cup&sort=name&page=3");
  });

  it("leaves defaults out", () => {
    expect(listingHref("/c/kitchen", { q: "", page: 1, sort: "relevance" })).toBe("/c/kitchen");
  });
});
