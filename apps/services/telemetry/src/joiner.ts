import type { SpanRecord } from "./otlp";
import { databaseOf, rpcMethod, type RequestEvent } from "./request-event";

export interface JoinerOptions {
  /** Halves waiting for their other half, per side; past it the oldest are dropped. */
  readonly maxPending: number;
  /** How long a half waits for its other half (processes export in batches, seconds apart). */
  readonly maxAgeMs: number;
  /** The clock that ages pending halves (arrival time, not span time: clocks differ across hosts). */
  readonly now?: () => number;
}

/**
 * On a callee's server span, the delay a lab fault made its caller wait before sending
 * (`FAULT_DELAY_ATTRIBUTE` of `@microshop/service-client/fault-link`, told by a header).
 */
export const LAB_DELAY_ATTRIBUTE = "microshop.fault.delay_ms";

/**
 * The wait a server span says its caller's fault link added before the call went out, when the
 * caller's span does not already cover it; 0 when none. Our service client's own span (an RPC span:
 * it has `rpc.method`) starts before the fault link waits, the link being inside it, so the wait is
 * in it; an HTTP client span starts once the wait is over.
 */
function labDelayOf(caller: SpanRecord, callee: SpanRecord): number {
  if (callee.kind !== "server" || rpcMethod(caller) !== undefined) return 0;
  const delay = callee.attributes[LAB_DELAY_ATTRIBUTE];
  return typeof delay === "number" && Number.isFinite(delay) && delay > 0 ? delay : 0;
}

interface Pending {
  readonly span: SpanRecord;
  readonly arrivedMs: number;
}

/**
 * Joins the two halves of a call between services as they arrive, like the servicegraph connector
 * of Tempo and the Collector: the caller's client span and the callee's server span come in
 * different exports from different processes, in either order. Each half waits, indexed by the
 * span id that links them (the client's own id, the server's parent id), until the other arrives;
 * a database query is a single client span and needs no partner.
 *
 * Memory stays flat whatever the load: pending halves are capped and expire, oldest first (a Map
 * iterates in insertion order, which is arrival order here, so both are O(dropped)).
 */
export class SpanJoiner {
  private readonly clients = new Map<string, Pending>();
  private readonly servers = new Map<string, Pending>();
  private readonly now: () => number;
  private droppedHalves = 0;

  constructor(
    private readonly options: JoinerOptions,
    private readonly onRequest: (event: RequestEvent) => void,
  ) {
    this.now = options.now ?? Date.now;
  }

  add(span: SpanRecord): void {
    if (span.kind === "client") {
      const database = databaseOf(span);
      if (database) {
        this.emit(span, span, span.service, database);
        return;
      }
      const server = this.take(this.servers, span.spanId);
      if (server) this.join(span, server);
      else this.wait(this.clients, span.spanId, span);
    } else if (span.kind === "server" && span.parentSpanId) {
      const client = this.take(this.clients, span.parentSpanId);
      if (client) this.join(client, span);
      else this.wait(this.servers, span.parentSpanId, span);
    }
  }

  /** Drops halves that waited longer than `maxAgeMs`; called on every export and by a timer. */
  expire(): void {
    const oldest = this.now() - this.options.maxAgeMs;
    for (const pending of [this.clients, this.servers]) {
      for (const [key, { arrivedMs }] of pending) {
        if (arrivedMs >= oldest) break;
        pending.delete(key);
        this.droppedHalves += 1;
      }
    }
  }

  get stats(): { pendingClients: number; pendingServers: number; droppedHalves: number } {
    return { pendingClients: this.clients.size, pendingServers: this.servers.size, droppedHalves: this.droppedHalves };
  }

  private take(pending: Map<string, Pending>, key: string): SpanRecord | undefined {
    const found = pending.get(key);
    if (found) pending.delete(key);
    return found?.span;
  }

  private wait(pending: Map<string, Pending>, key: string, span: SpanRecord): void {
    // A re-sent span moves to the back, so the Map stays in arrival order for `expire`.
    pending.delete(key);
    pending.set(key, { span, arrivedMs: this.now() });
    if (pending.size > this.options.maxPending) {
      const oldest = pending.keys().next();
      if (!oldest.done) pending.delete(oldest.value);
      this.droppedHalves += 1;
    }
  }

  private join(client: SpanRecord, server: SpanRecord): void {
    // A call inside one process (the monolith's in-process link) is not a hop on the map.
    if (client.service === server.service || client.traceId !== server.traceId) return;
    this.emit(client, server, client.service, server.service);
  }

  /**
   * Timed by the caller's span, so network time counts; the callee's name says what was called.
   * An HTTP client span starts once a lab delay was waited out: the callee says how long
   * (`LAB_DELAY_ATTRIBUTE`), and the wait belongs to the hop, as the caller felt it.
   */
  private emit(timing: SpanRecord, callee: SpanRecord, source: string, target: string): void {
    const delayMs = labDelayOf(timing, callee);
    this.onRequest({
      traceId: callee.traceId,
      spanId: callee.spanId,
      source,
      target,
      // When only the caller was instrumented as RPC, its method beats the server span's name.
      name: rpcMethod(callee) ?? rpcMethod(timing) ?? callee.name,
      startMs: timing.startMs - delayMs,
      durationMs: timing.durationMs + delayMs,
      error: timing.error || callee.error,
      // A database query is a single client span: the caller's process, not a replica of the database.
      targetInstance: timing === callee ? null : callee.instance,
      targetVersion: timing === callee ? null : callee.version,
      synthetic: timing.synthetic || callee.synthetic,
    });
  }
}
