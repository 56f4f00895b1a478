import { describe, expect, it } from "vitest";
import { readBodyWithin } from "./body-limit";

function streamOf(chunks: number, chunkSize: number): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === chunks) return controller.close();
      pulled += 1;
      controller.enqueue(new Uint8Array(chunkSize).fill(120));
    },
  });
  return { stream, pulled: () => pulled };
}

describe("readBodyWithin", () => {
  it("returns a body within the limit byte for byte", async () => {
    const result = await readBodyWithin(new Request("http://x/", { method: "POST", body: '{"a":1}' }), 100);
    expect(result.ok && new TextDecoder().decode(result.body)).toBe('{"a":1}');
  });

  it("refuses a declared Content-Length over the limit without reading the body", async () => {
    const { stream, pulled } = streamOf(10, 1000);
    const request = new Request("http://x/", {
      method: "POST",
      body: stream,
      headers: { "content-length": "10000" },
      duplex: "half",
    });
    expect(await readBodyWithin(request, 5000)).toEqual({ ok: false });
    expect(pulled()).toBeLessThanOrEqual(1);
  });

  it("stops reading a chunked body as soon as it passes the limit", async () => {
    const { stream, pulled } = streamOf(1000, 1000);
    const request = new Request("http://x/", { method: "POST", body: stream, duplex: "half" });
    expect(await readBodyWithin(request, 5000)).toEqual({ ok: false });
    expect(pulled()).toBeLessThan(10);
  });

  it("refuses a Content-Length that is not a number", async () => {
    const request = new Request("http://x/", { method: "POST", body: "{}", headers: { "content-length": "-1" } });
    expect(await readBodyWithin(request, 5000)).toEqual({ ok: false });
  });
});
