/**
 * Reads a request body up to a limit, before anything parses it. Next.js route handlers put no limit
 * on a body, and `request.json()` would buffer gigabytes; here a declared Content-Length over the
 * limit is refused without reading a byte, and a chunked body is cut off as soon as it passes it.
 */

export type LimitedBody = { readonly ok: true; readonly body: Uint8Array<ArrayBuffer> } | { readonly ok: false };

export async function readBodyWithin(request: Request, maxBytes: number): Promise<LimitedBody> {
  const declared = request.headers.get("content-length");
  if (declared !== null && (!/^\d+$/.test(declared) || Number(declared) > maxBytes)) {
    await request.body?.cancel().catch(() => undefined);
    return { ok: false };
  }
  if (!request.body) return { ok: true, body: new Uint8Array() };
  // Node types a request body as a stream of `any`; it is bytes.
  const reader = (request.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return { ok: false };
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, body };
}
