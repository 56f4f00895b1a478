/**
 * Which code answers a request: `/healthz`, `/readyz`, a raw route, or the tRPC mount whose path
 * prefixes the URL (tRPC does the protocol, after the caller checks: `trpc-handler.ts`).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { trace } from "@opentelemetry/api";
import type { AnyRouter } from "@trpc/server";
import { FAULT_DELAY_ATTRIBUTE, LAB_DELAY_HEADER } from "@microshop/service-client/fault-link";
import { serveTraced } from "@microshop/tracing/server-span";
import type { CallerCheck } from "./caller-auth";
import { authorizeControlCall, refuseControlRequest, type ControlGuard } from "./control-guard";
import type { ProcessLab } from "./lab";
import type { Logger } from "./logger";
import { procedureErrorHandler } from "./procedure-errors";
import { createTRPCNodeHandler } from "./trpc-handler";
import type { RawRoute, ServiceInstance } from "./service";
import { applyVersionFlavour, type VersionBehaviour } from "./version-flavour";

/** One tRPC router served under a path prefix (`/trpc` for a service, `/<name>/trpc` in the monolith). */
export interface Mount {
  readonly path: string;
  readonly name: string;
  readonly router: AnyRouter;
  // The context type is the router's own; the server only passes it through.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly instance: ServiceInstance<any>;
}

export interface RoutingOptions {
  readonly name: string;
  readonly mounts: readonly Mount[];
  readonly routes: readonly RawRoute[];
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  readonly checkCaller?: CallerCheck;
  readonly control?: ControlGuard;
  /** The lab's capacity faults: every tRPC call into a mount passes its service's gate. */
  readonly lab?: ProcessLab;
  /** What this version does to the calls it serves (`errors`, `breaking`). */
  readonly version?: VersionBehaviour;
  /** The `/readyz` answer: its status code and body. */
  readonly readiness: () => Promise<{ status: number; body: unknown }>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/** Aborts when the response closes: answered, or the caller went away (its deadline). */
function closedSignal(res: ServerResponse): AbortSignal {
  const closed = new AbortController();
  if (res.closed) closed.abort();
  else res.once("close", () => closed.abort());
  return closed.signal;
}

/** The delay a lab fault made the caller wait before sending (`LAB_DELAY_HEADER`): a whole number of ms up to a minute, else none. */
export function labDelayOf(headers: IncomingMessage["headers"]): number | undefined {
  const value = headers[LAB_DELAY_HEADER];
  if (typeof value !== "string" || !/^\d{1,5}$/.test(value)) return undefined;
  const delayMs = Number(value);
  return delayMs <= 60_000 ? delayMs : undefined;
}

/**
 * Puts that delay on the request's server span (active while the request is handled), so the
 * telemetry service times the hop as the caller felt it, the wait included.
 */
function markLabDelay(req: IncomingMessage): void {
  const delayMs = labDelayOf(req.headers);
  if (delayMs !== undefined) trace.getActiveSpan()?.setAttribute(FAULT_DELAY_ATTRIBUTE, delayMs);
}

function mountHandler(mount: Mount, options: RoutingOptions) {
  const { checkCaller, control, lab, version } = options;
  const gate = lab?.gate(mount.name);
  return {
    prefix: mount.path.replace(/\/$/, ""),
    // tRPC's standalone adapter, with a direct path for a plain JSON call (`trpc-handler.ts`); queries come as POST too.
    handle: createTRPCNodeHandler({
      router: mount.router,
      maxBodySize: options.maxBodyBytes,
      createContext: async ({ req, res, info }): Promise<unknown> => {
        const procedures = info.calls.map((call) => call.path);
        if (checkCaller) await checkCaller(mount.name, procedures.length > 0 ? procedures : [""], req.headers);
        if (control) authorizeControlCall(control, req.headers);
        if (gate) {
          // The turn lasts until the answer is sent, or until the caller stops waiting.
          const release = await gate.admit(closedSignal(res));
          if (res.closed) release();
          else res.once("close", release);
        }
        if (version) applyVersionFlavour(mount.name, version);
        return (await mount.instance.createContext({ headers: req.headers })) as unknown;
      },
      onError: procedureErrorHandler(mount.name, options.logger),
    }),
  };
}

/**
 * The request listener of a server holding `options.mounts` and `options.routes`. Every request but
 * the probes is served inside its own server span (`serveTraced`), the caller's trace continued.
 */
export function createDispatch(options: RoutingOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { logger, control } = options;
  const handlers = options.mounts.map((mount) => mountHandler(mount, options));
  const serve = (req: IncomingMessage, res: ServerResponse, url: string, pathname: string): void => {
    const refused = control ? refuseControlRequest(control, req) : undefined;
    if (refused) {
      logger.warn({ path: pathname, status: refused.status, reason: refused.error }, "control request refused");
      return sendJson(res, refused.status, { error: refused.error });
    }
    const route = options.routes.find((r) => r.path === pathname && r.method === req.method);
    if (route) {
      Promise.resolve(route.handle(req, res)).catch((error: unknown) => {
        logger.error({ err: error, path: pathname }, "route failed");
        if (!res.headersSent) sendJson(res, 500, { error: "Internal error" });
      });
      return;
    }
    const handler = handlers.find((h) => pathname === h.prefix || pathname.startsWith(`${h.prefix}/`));
    if (!handler) return sendJson(res, 404, { error: `No route for ${pathname}` });
    // The standalone adapter reads the procedure path from the URL: hand it the part after the prefix.
    req.url = url.slice(handler.prefix.length) || "/";
    markLabDelay(req);
    void handler.handle(req, res);
  };
  return (req, res) => {
    const url = req.url ?? "/";
    const pathname = url.split("?", 1)[0] ?? "/";
    if (pathname === "/healthz") return sendJson(res, 200, { status: "ok", service: options.name });
    if (pathname === "/readyz") {
      void options.readiness().then(({ status, body }) => sendJson(res, status, body));
      return;
    }
    serveTraced(req, res, options.name, () => serve(req, res, url, pathname));
  };
}
