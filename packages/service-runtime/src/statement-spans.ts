/**
 * Why this file exists: the map's database edges are one client span per SQL statement a service
 * sends, and the driver adapter (`sqlite-writes.ts`, `postgres-writes.ts`) is the one place that
 * sees every statement, the transactions Prisma opens for nested writes included.
 *
 * Prisma's own instrumentation (`@prisma/instrumentation`) made one span per statement too, each
 * named `prisma:client:db_query`, hanging off the request once its wrappers (operation, serialize,
 * transaction) were left out. Made here instead, a statement's span says what it did in its name
 * (`SELECT Product`, `UPDATE Stock`: the conventions' `{operation} {target}`), a transaction's
 * `BEGIN` span covers the wait for the database's write lock (`sqlite-writes.ts`,
 * `postgres-writes.ts`), where a request waits when writers contend, and a failed statement carries the adapter's kind of error (`UniqueConstraintViolation`).
 * The CPU it costs is the SDK's own: measured with `pnpm bench overhead` (CPU per checkout of every
 * process, from /proc), the two cost the same within the run-to-run noise. A span is never made
 * active (nothing runs below a statement), and without tracing, or in a trace that is not sampled,
 * it is a no-op span whose attributes are never set.
 *
 * Hand-written because no instrumentation library covers both drivers the same way: OpenTelemetry's
 * JavaScript contrib instruments `pg` but not better-sqlite3, and the statements reach both through
 * Prisma's driver adapters, which these classes already wrap.
 *
 * Attributes follow the database conventions: `db.system.name`, `db.operation.name`,
 * `db.collection.name`, and `db.query.text` as Prisma sends it, with placeholders (`?`, `$1`) and
 * never the values bound to them.
 */
import { SpanKind, SpanStatusCode, trace, type Span } from "@opentelemetry/api";
import {
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_TEXT,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
} from "@opentelemetry/semantic-conventions";

/** `db.system.name` of the two databases a service runs on. */
export type DatabaseSystem = "sqlite" | "postgresql";

const tracer = trace.getTracer("@microshop/service-runtime/database");

// The first keyword, and the table after FROM, INTO or UPDATE (maybe schema-qualified, maybe quoted).
const operationPattern = /^\s*([a-z]+)/i;
const collectionPattern = /\b(?:from|into|update)\s+(?:[`"]?\w+[`"]?\.)?[`"]?(\w+)[`"]?/i;

interface StatementDescription {
  readonly operation: string;
  readonly collection: string | undefined;
  readonly spanName: string;
}

// Prisma sends the same few dozen statements over and over: each is described once (and a process
// that sends statements without end, e.g. raw SQL with values inlined, stops adding them past a thousand).
const described = new Map<string, StatementDescription>();

/** What a span names of a statement: `SELECT Product`, `INSERT Order`, `BEGIN` (the conventions' `{operation} {target}`). */
export function describeStatement(sql: string): StatementDescription {
  let description = described.get(sql);
  if (!description) {
    const operation = (operationPattern.exec(sql)?.[1] ?? "SQL").toUpperCase();
    const collection = collectionPattern.exec(sql)?.[1];
    description = { operation, collection, spanName: collection ? `${operation} ${collection}` : operation };
    if (described.size < 1_000) described.set(sql, description);
  }
  return description;
}

/** What went wrong, as the driver adapter classifies it (`TableDoesNotExist`, `UniqueConstraintViolation`...). */
function errorType(error: unknown): string {
  const cause: unknown = error instanceof Error ? error.cause : undefined;
  if (typeof cause === "object" && cause !== null && "kind" in cause && typeof cause.kind === "string") return cause.kind;
  return error instanceof Error ? error.name : "Error";
}

function finish(span: Span, error?: unknown): void {
  if (error !== undefined) {
    span.setAttribute(ATTR_ERROR_TYPE, errorType(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : "The statement failed" });
  }
  span.end();
}

/**
 * Runs one statement inside a client span of its own, a child of whatever is active (the request's
 * server span); its time includes waiting for the database's turn, which the request waits for too.
 * With nothing active, no span.
 */
export async function inStatementSpan<T>(system: DatabaseSystem, sql: string, run: () => Promise<T>): Promise<T> {
  // As OpenTelemetry's database instrumentations do with `requireParentSpan`: a statement that no
  // request or background task sent (a connection's PRAGMAs, a start-up check) would be a trace of its
  // own, one span long, and a fresh stack's trace list would open on a page of them.
  if (!trace.getActiveSpan()) return run();
  const { operation, collection, spanName } = describeStatement(sql);
  const span = tracer.startSpan(spanName, { kind: SpanKind.CLIENT });
  if (span.isRecording()) {
    span.setAttributes({
      [ATTR_DB_SYSTEM_NAME]: system,
      [ATTR_DB_OPERATION_NAME]: operation,
      [ATTR_DB_QUERY_TEXT]: sql,
      ...(collection ? { [ATTR_DB_COLLECTION_NAME]: collection } : {}),
    });
  }
  try {
    const result = await run();
    finish(span);
    return result;
  } catch (error) {
    finish(span, error);
    throw error;
  }
}
