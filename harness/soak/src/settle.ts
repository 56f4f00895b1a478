import { setTimeout as sleep } from "node:timers/promises";
import { readSnapshot, type Snapshot } from "./invariants/snapshot";

/** What is still in motion: sagas midway, confirmations not handed over, emails not delivered. */
export function unsettledWork(snapshot: Snapshot): string[] {
  const pending: string[] = [];
  const sagas = snapshot.orders.filter((order) => order.status !== "paid" && order.status !== "failed").length;
  const outbox = snapshot.orderOutbox.filter((entry) => entry.status === "pending").length;
  const emails = snapshot.emails.filter((email) => email.status === "queued" || email.status === "sending").length;
  const payments = snapshot.payments.filter((payment) => payment.status === "processing").length;
  if (sagas > 0) pending.push(`${sagas} sagas midway`);
  if (outbox > 0) pending.push(`${outbox} confirmations in the order outbox`);
  if (emails > 0) pending.push(`${emails} emails queued`);
  if (payments > 0) pending.push(`${payments} payments processing`);
  return pending;
}

/**
 * After the load: polls the databases (read-only) until the order service's recovery has finished
 * every stalled saga and both outboxes are drained, or the bound passes. Returns how long it took
 * and what was still pending at the end (empty when it settled).
 */
export async function waitForSettle(dataDir: string, timeoutMs: number): Promise<{ settledMs: number; pending: string[] }> {
  const begin = Date.now();
  let pending: string[] = ["not read yet"];
  while (Date.now() - begin < timeoutMs) {
    try {
      pending = unsettledWork(readSnapshot(dataDir));
    } catch (error) {
      pending = [`databases not readable: ${error instanceof Error ? error.message : String(error)}`];
    }
    if (pending.length === 0) break;
    await sleep(1_000);
  }
  return { settledMs: Date.now() - begin, pending };
}
