// Every statement a service sends through its driver adapter is a client span of the request that
// sent it: the map's database edges. Checked on the SQLite adapter the services run on; the Postgres
// one is checked beside its write lock (`postgres-writes.test.ts`).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { recordSpans } from "@microshop/tracing/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { describeStatement } from "./statement-spans";
import { connect, createCounter, sql, type Connection } from "./test-fixtures/sqlite-connections";

const exporter = recordSpans();
const tracer = trace.getTracer("test");
const dir = mkdtempSync(path.join(tmpdir(), "microshop-statement-spans-"));
let connection: Connection;

beforeAll(async () => {
  connection = await connect(`file:${path.join(dir, "test.db")}`, "immediate");
  await createCounter(connection);
});

afterAll(async () => {
  await connection.dispose();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => exporter.reset());

describe("statement spans", () => {
  it("make each statement a client span of the request that sent it, named and attributed by the database conventions", async () => {
    const request = tracer.startSpan("server orders.place", { kind: SpanKind.SERVER });
    await trace.getTracer("test").startActiveSpan("handler", async (handler) => {
      await connection.queryRaw(sql(`SELECT "value" FROM "main"."Counter" WHERE "id" = ?`, [1]));
      handler.end();
    });
    request.end();
    const handler = exporter.getFinishedSpans().find((span) => span.name === "handler")!;
    const select = exporter.getFinishedSpans().find((span) => span.name === "SELECT Counter");
    expect(select).toBeDefined();
    expect(select!.kind).toBe(SpanKind.CLIENT);
    expect(select!.parentSpanContext?.spanId).toBe(handler.spanContext().spanId);
    expect(select!.attributes).toMatchObject({
      "db.system.name": "sqlite",
      "db.operation.name": "SELECT",
      "db.collection.name": "Counter",
      "db.query.text": `SELECT "value" FROM "main"."Counter" WHERE "id" = ?`,
    });
    // The values bound to the placeholders never travel with the span.
    expect(JSON.stringify(select!.attributes)).not.toContain(`"1"`);
  });

  it("cover a transaction from the write lock's BEGIN to its COMMIT", async () => {
    await inRequest(async () => {
      const tx = await connection.startTransaction();
      await tx.executeRaw(sql(`UPDATE "Counter" SET "value" = ? WHERE "id" = 1`, [7]));
      await tx.executeRaw(sql("COMMIT"));
      await tx.commit();
    });
    expect(statementSpanNames()).toEqual(["BEGIN", "UPDATE Counter", "COMMIT"]);
  });

  it("mark a failed statement an error, of the kind the driver adapter gave it", async () => {
    await inRequest(() => expect(connection.queryRaw(sql(`SELECT * FROM "Nowhere"`))).rejects.toThrow());
    const [failed] = exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.CLIENT);
    expect(failed?.name).toBe("SELECT Nowhere");
    expect(failed?.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed?.attributes["error.type"]).toBe("TableDoesNotExist");
  });

  it("are not made for a statement no request or task sent: it would be a trace of its own", async () => {
    await connection.queryRaw(sql(`SELECT "value" FROM "Counter" WHERE "id" = ?`, [1]));
    await inRequest(() => connection.queryRaw(sql(`SELECT "value" FROM "Counter" WHERE "id" = ?`, [1])));
    expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(["SELECT Counter", "request"]);
  });
});

/** Runs `work` under an active span, as a request's handler does. */
function inRequest(work: () => Promise<unknown>): Promise<void> {
  return tracer.startActiveSpan("request", async (span) => {
    await work();
    span.end();
  });
}

/** The names of the finished statement spans, in order. */
const statementSpanNames = () =>
  exporter
    .getFinishedSpans()
    .filter((span) => span.kind === SpanKind.CLIENT)
    .map((span) => span.name);

describe("describeStatement", () => {
  it("names a statement by its operation and its table, quoted, schema-qualified or neither", () => {
    expect(describeStatement(`INSERT INTO "public"."Order" ("id") VALUES ($1)`).spanName).toBe("INSERT Order");
    expect(describeStatement(`update "Stock" set "held" = 1`).spanName).toBe("UPDATE Stock");
    expect(describeStatement(`DELETE FROM Reservation WHERE id = ?`).spanName).toBe("DELETE Reservation");
    expect(describeStatement("SELECT pg_advisory_xact_lock(7210531)").spanName).toBe("SELECT");
    expect(describeStatement("  begin immediate").spanName).toBe("BEGIN");
    expect(describeStatement("").spanName).toBe("SQL");
  });
});
