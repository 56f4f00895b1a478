export interface WaitForReadyOptions {
  /** Give up after this long; the caller decides what a timeout means. */
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  /** Stops waiting at once (the process exited or was stopped). */
  readonly signal?: AbortSignal;
}

/**
 * Polls a readiness URL until it answers 2xx. Resolves `true` when ready, `false` at the deadline,
 * and rejects when `signal` aborts.
 */
export async function waitForReady(url: string, options: WaitForReadyOptions): Promise<boolean> {
  const deadline = Date.now() + options.timeoutMs;
  const intervalMs = options.intervalMs ?? 100;
  while (Date.now() < deadline) {
    options.signal?.throwIfAborted();
    const remaining = deadline - Date.now();
    const perTry = AbortSignal.timeout(Math.max(1, Math.min(2_000, remaining)));
    try {
      const response = await fetch(url, { signal: options.signal ? AbortSignal.any([options.signal, perTry]) : perTry });
      await response.body?.cancel();
      if (response.ok) return true;
    } catch {
      // Not listening yet, or answering too slowly: try again until the deadline.
    }
    options.signal?.throwIfAborted();
    await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())), options.signal);
  }
  return false;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
