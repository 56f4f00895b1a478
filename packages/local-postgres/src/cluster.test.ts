// The cluster a stack or a test run gets: started from nothing, reachable with its URL only,
// reused when already running, and a clear error when PostgreSQL is not installed.
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { findPostgresBin, PostgresNotInstalledError, startPostgresCluster, type PostgresCluster } from "./cluster";

const dir = mkdtempSync(path.join(tmpdir(), "microshop-cluster-test-"));
const port = 20_000 + (process.pid % 20_000);
const started: PostgresCluster[] = [];

afterAll(async () => {
  await started[0]?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<Record<string, unknown>>(sql);
    return result.rows;
  } finally {
    await client.end();
  }
}

describe("a local cluster", () => {
  it("starts from nothing, makes a database, and answers on its URL with the password it keeps to itself", async () => {
    const cluster = await startPostgresCluster({ dir, port, durable: false });
    started.push(cluster);
    await cluster.ensureDatabase("product");
    await cluster.ensureDatabase("product");
    expect(await query(cluster.url("product"), "SELECT current_database() AS name")).toEqual([{ name: "product" }]);
    expect(statSync(path.join(dir, "password")).mode & 0o077).toBe(0);
    const nested = path.join(dir, "stack", "data");
    const other = await startPostgresCluster({ dir: path.join(nested, "postgres"), port: port + 1, durable: false });
    await other.stop();
    // Only the cluster's own folder is private: the stack's data dir above it stays reachable.
    expect(statSync(nested).mode & 0o777).not.toBe(0o700);
    const wrong = cluster.url("product").replace(/:[^:@]+@/, ":wrong@");
    await expect(query(wrong, "SELECT 1")).rejects.toThrow(/password authentication failed/);
  });

  it("copies a template database", async () => {
    const [cluster] = started;
    if (!cluster) throw new Error("the first test starts the cluster");
    await query(cluster.url("product"), "CREATE TABLE kept (id int); INSERT INTO kept VALUES (7)");
    await cluster.ensureDatabase("copy", { template: "product" });
    expect(await query(cluster.url("copy"), "SELECT id FROM kept")).toEqual([{ id: 7 }]);
  });

  it("reuses the cluster already running in its folder", async () => {
    const again = await startPostgresCluster({ dir, port, durable: false });
    expect(again.url("product")).toBe(started[0]?.url("product"));
    expect(await query(again.url("product"), "SELECT count(*)::int AS n FROM kept")).toEqual([{ n: 1 }]);
    expect(readFileSync(path.join(dir, "postgres.log"), "utf8")).toMatch(/ready to accept connections/);
  });
});

describe("without PostgreSQL", () => {
  it("says how to install it", async () => {
    const env = { bin: path.join(dir, "nowhere"), path: "" };
    expect(() => findPostgresBin(env)).toThrow(PostgresNotInstalledError);
    await expect(startPostgresCluster({ dir: path.join(dir, "other"), port, durable: false }, env)).rejects.toThrow(
      /apt-get install -y postgresql/,
    );
  });
});
