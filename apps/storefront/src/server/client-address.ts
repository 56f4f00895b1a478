/**
 * Whose request is this, for per-client limits (sign-in, sign-up): the address the limits key on.
 *
 * X-Forwarded-For is whatever the sender wrote, so a client that sets it picks its own key and
 * never meets a per-client limit. Only the socket's peer is a fact, and Next.js does not hand it to
 * a route handler: it copies it into X-Forwarded-For only when the request has none, which a
 * client can pre-empt. So `installSocketAddressHeader` stamps every incoming request, before
 * Next.js sees it, with the socket's address in a header of our own (overwriting any value the
 * client sent), through Node's built-in `http.server.request.start` diagnostics channel: no custom
 * server, and it works under `next start` and `next dev` alike.
 *
 * Behind N trusted proxies (`TRUSTED_PROXY_HOPS`), each appends the address it saw to
 * X-Forwarded-For, so the client is the N-th entry from the right; anything left of it was written
 * by the client and is ignored. The storefront must then be reachable only through those proxies.
 */
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";

export const socketAddressHeader = "x-microshop-socket-address";

let installed = false;

/** Once per process: every HTTP request this process serves carries its socket's address. */
export function installSocketAddressHeader(): void {
  if (installed) return;
  installed = true;
  subscribe("http.server.request.start", (message) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    request.headers[socketAddressHeader] = socket.remoteAddress ?? "unknown";
  });
}

/** The client's address: the socket's peer, or what the nearest of `trustedProxyHops` proxies reports. */
export function clientAddress(headers: Headers, trustedProxyHops: number): string {
  const socket = headers.get(socketAddressHeader)?.trim() || "unknown";
  if (trustedProxyHops === 0) return socket.slice(0, 100);
  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  // Fewer entries than proxies: the request did not come through all of them, so nothing in it is vouched for.
  const client = forwarded.length >= trustedProxyHops ? forwarded[forwarded.length - trustedProxyHops] : undefined;
  return (client ?? socket).slice(0, 100);
}
