/**
 * `--db postgres`: the stack's own PostgreSQL cluster, kept in `<data-dir>/postgres` so it lives and
 * goes with the stack's other data, with one database per service, each named after it. The URLs
 * (which hold the cluster's password) go to the processes in their environment, never to a log.
 */
import path from "node:path";
import { startPostgresCluster } from "@microshop/local-postgres";
import { serviceNames, type ServiceName } from "@microshop/topology";

export interface StackPostgres {
  readonly dir: string;
  readonly port: number;
  /** Each service's `postgres://` URL. */
  readonly urls: Record<ServiceName, string>;
  stop(): Promise<void>;
}

/** Starts (or reuses) the stack's cluster and makes every service's database that is missing. */
export async function startStackPostgres(dataDir: string, port: number): Promise<StackPostgres> {
  const dir = path.join(dataDir, "postgres");
  const cluster = await startPostgresCluster({ dir, port, durable: true });
  const urls = {} as Record<ServiceName, string>;
  for (const name of serviceNames) {
    await cluster.ensureDatabase(name);
    urls[name] = cluster.url(name);
  }
  return { dir, port, urls, stop: () => cluster.stop() };
}
