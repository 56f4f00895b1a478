import type { Logger } from "@microshop/service-runtime/logger";

export interface ForwarderOptions {
  readonly url: string;
  readonly timeoutMs: number;
  readonly logger: Logger;
  /** Forwards in flight at once; past it an export is not forwarded (a dead target costs nothing). */
  readonly maxInFlight?: number;
  /** Failures are logged at most this often, with how many happened since the last line. */
  readonly logEveryMs?: number;
}

/** Sends a body on to another OTLP receiver; never waits, never throws. */
export type Forward = (body: Buffer, contentType: string) => void;

/**
 * Forwards every accepted export, as received, to another OTLP/HTTP endpoint (Jaeger, Tempo, a
 * Collector), fire-and-forget: the sender's export never waits for it or fails because of it.
 */
export function createForwarder(options: ForwarderOptions): Forward {
  const maxInFlight = options.maxInFlight ?? 64;
  const logEveryMs = options.logEveryMs ?? 10_000;
  let inFlight = 0;
  let failures = 0;
  let lastLogMs = -Infinity;

  const failed = (reason: string) => {
    failures += 1;
    const now = Date.now();
    if (now - lastLogMs < logEveryMs) return;
    lastLogMs = now;
    options.logger.warn({ url: options.url, reason, failures }, "OTLP forward failed (logged at most every 10 s)");
    failures = 0;
  };

  return (body, contentType) => {
    if (inFlight >= maxInFlight) return failed(`${maxInFlight} forwards already in flight: dropped`);
    inFlight += 1;
    fetch(options.url, {
      method: "POST",
      headers: { "content-type": contentType },
      // A Buffer read from a request is backed by a plain ArrayBuffer, which is what fetch's types ask for.
      body: body as Uint8Array<ArrayBuffer>,
      signal: AbortSignal.timeout(options.timeoutMs),
    })
      .then(async (response) => {
        // Drain the body so the connection goes back to the pool.
        await response.arrayBuffer();
        if (!response.ok) failed(`HTTP ${response.status}`);
      })
      .catch((error: unknown) => failed(error instanceof Error ? `${error.name}: ${error.message}` : String(error)))
      .finally(() => (inFlight -= 1));
  };
}
