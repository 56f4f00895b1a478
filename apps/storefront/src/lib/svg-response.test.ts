import { describe, expect, it } from "vitest";
import { svgResponse } from "./svg-response";

const render = (slug: string) => (slug === "enamel-kettle" ? "<svg/>" : undefined);

describe("svgResponse", () => {
  it("serves a known slug as cacheable SVG", async () => {
    const response = svgResponse("enamel-kettle.svg", render);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toContain("image/svg+xml");
    expect(response.headers.get("Cache-Control")).toContain("max-age=31536000");
    expect(await response.text()).toBe("<svg/>");
  });

  it("answers 404 for an unknown slug, a renderer that throws, or a malformed name", () => {
    expect(svgResponse("no-such-thing.svg", render).status).toBe(404);
    expect(
      svgResponse("enamel-kettle.svg", () => {
        throw new Error("unknown");
      }).status,
    ).toBe(404);
    expect(svgResponse("enamel-kettle.png", render).status).toBe(404);
    expect(svgResponse("../etc/passwd.svg", render).status).toBe(404);
  });
});
