/**
 * What a control API (the supervisor's, which drives the system) demands beyond a service's checks.
 * A bearer token on every call; a Host header naming one of `hosts` (a page on another site that
 * rebinds its DNS name to 127.0.0.1 sends its own name); no Origin but one of `hosts` (a page on
 * another site); JSON bodies only (an HTML form can post without a preflight only as a form or text).
 */
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { sameSecret } from "@microshop/service-auth";
import { TRPCError } from "@trpc/server";

export interface ControlGuard {
  readonly token: string;
  /** Host names the API answers to, without ports: the loopback names and the address it is bound to. */
  readonly hosts: readonly string[];
}

/** Throws UNAUTHORIZED, in the one error shape, unless the call carries the control token. */
export function authorizeControlCall(guard: ControlGuard, headers: IncomingHttpHeaders): void {
  const presented = /^Bearer (.+)$/i.exec(headers.authorization ?? "")?.[1];
  if (!presented || !sameSecret(presented, guard.token)) {
    throw new TRPCError({
      code: "UNAUTHORIZED",
      message: presented
        ? "That control token is not right."
        : "The control API needs `authorization: Bearer <token>` (the supervisor writes it to <data-dir>/control-token).",
    });
  }
}

function hostnameOf(hostHeader: string): string | undefined {
  return URL.canParse(`http://${hostHeader}`) ? new URL(`http://${hostHeader}`).hostname.replace(/^\[(.*)\]$/, "$1") : undefined;
}

/** Why a control request is refused before it is read (wrong Host or Origin, a form body), or undefined. */
export function refuseControlRequest(guard: ControlGuard, req: IncomingMessage): { status: number; error: string } | undefined {
  const host = hostnameOf(req.headers.host ?? "");
  if (!host || !guard.hosts.includes(host))
    return {
      status: 403,
      error: `This API answers only to ${guard.hosts.join(", ")}, not to Host ${JSON.stringify(req.headers.host ?? "")}`,
    };
  const origin = req.headers.origin;
  if (origin !== undefined) {
    const originHost = URL.canParse(origin) ? new URL(origin).hostname.replace(/^\[(.*)\]$/, "$1") : undefined;
    if (!originHost || !guard.hosts.includes(originHost))
      return { status: 403, error: `Cross-site requests are refused (Origin ${JSON.stringify(origin)})` };
  }
  if (req.method === "POST" && !/^application\/json\b/i.test(req.headers["content-type"] ?? "")) {
    return { status: 415, error: "Send JSON: content-type application/json" };
  }
  return undefined;
}
