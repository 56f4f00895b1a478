import { ATTR_DB_SYSTEM_NAME, ATTR_RPC_METHOD } from "@opentelemetry/semantic-conventions";
import type { SpanRecord } from "./otlp";

// The pre-1.26 name of `db.system.name`, still sent by older instrumentations. Only the package's
// unstable "incubating" entry exports it, which its authors advise against importing.
const LEGACY_DB_SYSTEM = "db.system";

/**
 * One request on an edge of the service map: a call from one service to another (joined from the
 * caller's client span and the callee's server span) or a query to a database.
 */
export interface RequestEvent {
  readonly traceId: string;
  /** The callee-side span: the server span, or the database client span. */
  readonly spanId: string;
  readonly source: string;
  readonly target: string;
  /** The rpc method when the span has one, else the span name. */
  readonly name: string;
  readonly startMs: number;
  readonly durationMs: number;
  readonly error: boolean;
  /**
   * The callee's process (`service.instance.id`, e.g. `product-2`) and its `service.version`, so
   * the map can count each replica's calls and colour the dots of a canary; null when the callee's
   * resource does not say (any OpenTelemetry program may send spans) or the callee is a database.
   */
  readonly targetInstance: string | null;
  readonly targetVersion: string | null;
  /** Load generator traffic (either half carried `microshop.synthetic` = "load"): the map can hide it. */
  readonly synthetic: boolean;
}

export function rpcMethod(span: SpanRecord): string | undefined {
  const method = span.attributes[ATTR_RPC_METHOD];
  return typeof method === "string" && method !== "" ? method : undefined;
}

/** What a person calls an operation: the rpc method if instrumented as RPC, else the span name. */
export function operationName(span: SpanRecord): string {
  return rpcMethod(span) ?? span.name;
}

/** The database a client span talks to, as a node of its own per calling service. */
export function databaseOf(span: SpanRecord): string | undefined {
  if (span.kind !== "client") return undefined;
  const system = span.attributes[ATTR_DB_SYSTEM_NAME] ?? span.attributes[LEGACY_DB_SYSTEM];
  return typeof system === "string" && system !== "" ? `${span.service}/${system}` : undefined;
}
