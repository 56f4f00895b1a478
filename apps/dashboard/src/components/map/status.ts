import type { NodeStatus } from "~/lib/map-model";

export const statusLabel: Record<NodeStatus, string> = {
  up: "Up",
  down: "Down",
  degraded: "Degraded",
  starting: "Starting",
  unknown: "Unknown",
};

const palette = ["#7aa2ff", "#5fd4c4", "#f7a35c", "#c792ea", "#ffcb6b", "#82d173", "#ff8fa3", "#4fc1ff", "#e6a1ff", "#b5cea8"];
const fixed: Record<string, string> = {
  browser: "#9aa7c7",
  storefront: "#7aa2ff",
  product: "#5fd4c4",
  inventory: "#ffcb6b",
  cart: "#f7a35c",
  order: "#c792ea",
  payment: "#82d173",
  email: "#4fc1ff",
  user: "#ff8fa3",
  monolith: "#e6a1ff",
};

/** One colour per service, the same on the map, in the waterfall and in the trace list. */
export function serviceColor(service: string): string {
  const owner = service.split("/")[0] ?? service;
  const known = fixed[owner];
  if (known) return known;
  let hash = 0;
  for (const char of owner) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return palette[hash % palette.length]!;
}
