import { describe, expect, it } from "vitest";
import { categories, products } from "./catalog";
import { categoryImageSvg, escapeXml, productImageSvg } from "./images";

describe("generated images", () => {
  it("draws every product and category, titled with its escaped name", () => {
    for (const product of products) {
      const svg = productImageSvg(product.slug);
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect(svg).toContain(`>${escapeXml(product.name)}</title>`);
      expect(svg).toMatch(/<\/svg>$/);
    }
    for (const category of categories) expect(categoryImageSvg(category.slug)).toContain(`>${category.name}</title>`);
  });

  it("is deterministic", () => {
    expect(productImageSvg("enamel-kettle")).toBe(productImageSvg("enamel-kettle"));
  });

  it("has nothing for an unknown slug", () => {
    expect(productImageSvg("no-such-thing")).toBeUndefined();
    expect(categoryImageSvg("no-such-thing")).toBeUndefined();
  });

  it("escapes markup in names", () => {
    expect(escapeXml(`Tom & Jerry's <script>"x"</script>`)).toBe(
      "Tom &#38; Jerry&#39;s &#60;script&#62;&#34;x&#34;&#60;/script&#62;",
    );
  });

  it("links no outside resource", () => {
    for (const product of products) expect(productImageSvg(product.slug)).not.toMatch(/href=|url\(http/);
  });
});
