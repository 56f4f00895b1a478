/**
 * Leases: how replicas sharing one database split background work. A job claims a row by writing
 * its owner and an expiry in one conditional update, so exactly one replica wins; work whose lease
 * has not expired belongs to a live process and is left alone, start-up recovery included.
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";

/**
 * Who this process is when it claims work: `SERVICE_INSTANCE_ID` when the deployment names it,
 * else unique to this start (host, pid and a random part, since pids are reused).
 */
export function serviceInstanceId(env: NodeJS.ProcessEnv): string {
  return env.SERVICE_INSTANCE_ID ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
}

/** The moment a lease taken at `now` for `ms` runs out. */
export function leaseUntil(now: Date, ms: number): Date {
  return new Date(now.getTime() + ms);
}
