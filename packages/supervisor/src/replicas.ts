/**
 * More copies of a service: `product`, `product-2`, `product-3`. Each replica is the first one's
 * spec with its own name, port, log file and identity (`instanceEnv`), and the same database and
 * keys: replicas share their service's database (the runtime takes the write lock and leases) and
 * sign as their service.
 */
import path from "node:path";
import { instanceEnv, type Release } from "./instance-env";
import type { ProcessSpec } from "./process-spec";

/** `product` for the first replica, `product-2` and up for the others. */
export function replicaName(service: string, replica: number): string {
  return replica === 1 ? service : `${service}-${replica}`;
}

/** The lowest replica number not in use: names stay short however often replicas come and go. */
export function lowestFreeReplica(taken: Iterable<number>): number {
  const used = new Set(taken);
  let replica = 1;
  while (used.has(replica)) replica += 1;
  return replica;
}

function withPort(url: string, port: number): string {
  const parsed = new URL(url);
  parsed.port = String(port);
  // URL keeps a path of "/" on a bare origin; the specs' URLs have none.
  return parsed.pathname === "/" && !url.endsWith("/") ? parsed.origin : parsed.href;
}

/**
 * Replica `replica` of the service `base` runs, at `port`, running `release`. The first replica
 * keeps the topology's port (callers started with it as their address); pass `base.port` for it.
 */
export function replicaSpec(
  base: ProcessSpec,
  replica: { readonly replica: number; readonly port: number; readonly release: Release },
): ProcessSpec {
  const name = replicaName(base.service, replica.replica);
  return {
    ...base,
    name,
    replica: replica.replica,
    port: replica.port,
    env: { ...base.env, ...instanceEnv(name, replica.release), PORT: String(replica.port) },
    url: withPort(base.url, replica.port),
    readyUrl: withPort(base.readyUrl, replica.port),
    logFile: path.join(path.dirname(base.logFile), `${name}.log`),
  };
}
