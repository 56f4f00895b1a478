/**
 * Where a service's callers send, and how much: the rule the control plane publishes in the feed.
 * A replica is in the endpoints from the moment it is ready until it starts leaving; replicas that
 * are down (crashed, in backoff) are left out while another one answers, so callers go around
 * them, and kept when none answers (the callers' errors then say the service is down). A canary
 * takes its weight and the other replicas share the rest; otherwise every replica weighs the same.
 */
import type { Endpoint } from "@microshop/lab/feed";

export interface Member {
  readonly instance: string;
  /** Base URL of its tRPC endpoint. */
  readonly url: string;
  readonly version: string;
  readonly role: "stable" | "canary" | "leaving";
  /** Whether its process answers now. */
  readonly ready: boolean;
}

const round = (weight: number) => Math.round(weight * 100) / 100;

/** The endpoints of one service; `canaryWeight` in percent while a canary runs. */
export function endpointsOf(members: readonly Member[], canaryWeight: number | null): Endpoint[] {
  const serving = members.filter((member) => member.role !== "leaving");
  const answering = serving.filter((member) => member.ready);
  const live = answering.length > 0 ? answering : serving;
  const canaries = live.filter((member) => member.role === "canary");
  const stables = live.filter((member) => member.role !== "canary");
  const split = canaryWeight !== null && canaries.length > 0 && stables.length > 0;
  return live.map((member) => {
    const weight = !split
      ? 100 / live.length
      : member.role === "canary"
        ? canaryWeight / canaries.length
        : (100 - canaryWeight) / stables.length;
    return { url: member.url, instance: member.instance, version: member.version, weight: round(weight) };
  });
}
