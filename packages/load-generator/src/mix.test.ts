import { seededRandom } from "@microshop/shopper/random";
import { describe, expect, it } from "vitest";
import { pickJourney } from "./mix";

describe("the mix", () => {
  it("draws journeys in proportion to their weights", () => {
    const random = seededRandom(11);
    const mix = { browse: 40, search: 20, cart: 20, signUp: 5, checkout: 15 };
    const counts = { browse: 0, search: 0, cart: 0, signUp: 0, checkout: 0 };
    const draws = 100_000;
    for (let draw = 0; draw < draws; draw++) counts[pickJourney(mix, random)] += 1;
    for (const [name, weight] of Object.entries(mix))
      expect(counts[name as keyof typeof counts] / draws).toBeCloseTo(weight / 100, 2);
  });

  it("never draws a journey weighted 0, even at the edges of random()", () => {
    const mix = { browse: 0, search: 3, cart: 0, signUp: 0, checkout: 1 };
    expect(pickJourney(mix, () => 0)).toBe("search");
    expect(pickJourney(mix, () => 0.7499)).toBe("search");
    expect(pickJourney(mix, () => 0.75)).toBe("checkout");
    expect(pickJourney(mix, () => 1 - Number.EPSILON)).toBe("checkout");
    const random = seededRandom(3);
    for (let draw = 0; draw < 1_000; draw++) expect(["search", "checkout"]).toContain(pickJourney(mix, random));
    // 0.3 + 0.7 taken off the largest random() below 1 leaves exactly 0 by rounding: still a weighted journey.
    expect(pickJourney({ browse: 0, search: 0.3, cart: 0.7, signUp: 0, checkout: 0 }, () => 1 - 2 ** -53)).toBe("cart");
  });
});
