/**
 * Vitest global set-up of the Postgres suites (`MICROSHOP_TEST_DB=postgres`, the `test:postgres`
 * task): one throw-away cluster for the whole run, on a free port, removed at the end. Its admin URL
 * reaches the test workers as MICROSHOP_TEST_POSTGRES_URL, where `createTestDatabase` makes each
 * test's database. Given MICROSHOP_TEST_POSTGRES_URL already (a server of your own), it starts nothing.
 * Without PostgreSQL installed the run fails, saying how to install it: a Postgres suite never
 * passes by skipping.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { startPostgresCluster } from "./cluster";

/** A port nobody listens on right now, from the kernel. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.MICROSHOP_TEST_DB !== "postgres" || process.env.MICROSHOP_TEST_POSTGRES_URL) return undefined;
  const dir = mkdtempSync(path.join(tmpdir(), "microshop-postgres-test-"));
  try {
    const cluster = await startPostgresCluster({ dir, port: await freePort(), durable: false });
    process.env.MICROSHOP_TEST_POSTGRES_URL = cluster.url("postgres");
    return async () => {
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
