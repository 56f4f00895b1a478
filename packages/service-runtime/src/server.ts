import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { trace } from "@opentelemetry/api";
import type { AnyRouter } from "@trpc/server";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { TRPCError } from "@trpc/server";
import {
  CallerNotTrusted,
  createServiceTokenVerifier,
  sameSecret,
  SERVICE_TOKEN_HEADER,
  type ServiceTokenVerifier,
} from "@microshop/service-auth";
import { allowedCallersOf } from "@microshop/topology";
import { recordProcedureError } from "@microshop/tracing/rpc";
import type { Logger } from "./logger";
import type { ServiceInstance } from "./service";

/** One tRPC router served under a path prefix (`/trpc` for a service, `/<name>/trpc` in the monolith). */
export interface Mount {
  readonly path: string;
  readonly name: string;
  readonly router: AnyRouter;
  // The context type is the router's own; the server only passes it through.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly instance: ServiceInstance<any>;
}

/** A plain HTTP endpoint beside the tRPC mounts, for protocols that are not tRPC (OTLP). */
export interface RawRoute {
  readonly method: "GET" | "POST";
  readonly path: string;
  handle(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
}

export interface StartServerOptions {
  readonly name: string;
  readonly routes?: readonly RawRoute[];
  readonly host: string;
  readonly port: number;
  readonly logger: Logger;
  readonly mounts: readonly Mount[];
  readonly maxBodyBytes?: number;
  readonly shutdownTimeoutMs?: number;
  /**
   * When set, every tRPC call must carry a service token (`@microshop/service-auth`) signed by one of
   * these processes (`SERVICE_TRUSTED_KEYS`), made for the mount it calls, from a caller that mount
   * allows for every procedure the request calls (default: the topology's `allowedCallersOf`).
   */
  readonly serviceTrust?: {
    readonly trustedKeys: string;
    readonly allowedCallers?: (mount: string, procedure: string) => readonly string[];
  };
  /** An API that drives the system (the supervisor's): see `ControlGuard`. */
  readonly control?: ControlGuard;
}

/**
 * What a control API demands beyond a service's checks. A bearer token on every call; a Host header
 * naming one of `hosts` (a page on another site that rebinds its DNS name to 127.0.0.1 sends its own
 * name); no Origin but one of `hosts` (a page on another site); JSON bodies only (an HTML form can
 * post without a preflight only as a form or text).
 */
export interface ControlGuard {
  readonly token: string;
  /** Host names the API answers to, without ports: the loopback names and the address it is bound to. */
  readonly hosts: readonly string[];
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /** Requests received and not yet answered. */
  readonly inFlight: number;
  /** Stops accepting, lets in-flight requests finish (up to the timeout), then closes every mount. */
  close(): Promise<void>;
  /** Calls `close` on SIGTERM or SIGINT and exits; a second signal exits at once. */
  closeOnSignals(): void;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/**
 * Refuses a call that does not come from a process of the system (401), or from one this mount does
 * not serve (403): in the one error shape, logged by onError.
 */
async function authorizeCaller(
  verifier: ServiceTokenVerifier,
  mount: string,
  procedures: readonly string[],
  callersOf: (mount: string, procedure: string) => readonly string[],
  headers: IncomingMessage["headers"],
): Promise<void> {
  const token = headers[SERVICE_TOKEN_HEADER];
  let caller: string;
  try {
    ({ caller } = await verifier.verify(Array.isArray(token) ? token[0] : token, mount));
  } catch (error) {
    if (!(error instanceof CallerNotTrusted)) throw error;
    throw new TRPCError({
      code: "UNAUTHORIZED",
      message: `This service only answers the system's own processes: ${error.message}`,
    });
  }
  // Every call of a batch: one procedure the caller may not use refuses the whole request.
  for (const procedure of procedures) {
    const allowed = callersOf(mount, procedure);
    if (allowed.includes(caller)) continue;
    throw new TRPCError({
      code: "FORBIDDEN",
      message: `The ${mount} service does not serve ${caller}${procedure ? ` for ${procedure}` : ""}: ${allowed.length > 0 ? `only ${allowed.join(", ")} may call it` : "nobody may call it"} (topology)`,
    });
  }
}

function authorizeControlCall(guard: ControlGuard, headers: IncomingMessage["headers"]): void {
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
function refuseControlRequest(guard: ControlGuard, req: IncomingMessage): { status: number; error: string } | undefined {
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

/**
 * Exports the spans still buffered by this process's tracer provider (if tracing was started), so
 * the requests served while draining show up on the map too.
 */
async function flushSpans(): Promise<void> {
  const provider = trace.getTracerProvider() as { getDelegate?: () => { forceFlush?: () => Promise<void> } };
  await provider.getDelegate?.().forceFlush?.();
}

/**
 * Serves tRPC mounts plus `/healthz` (the process is alive) and `/readyz` (every mount can serve).
 * Node's own http server is enough here; tRPC's standalone adapter does the protocol.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { logger, mounts } = options;
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 10_000;
  let shuttingDown = false;
  let inFlight = 0;
  let drained: (() => void) | undefined;

  const verifier = options.serviceTrust ? createServiceTokenVerifier(options.serviceTrust.trustedKeys) : undefined;
  const callersOf = options.serviceTrust?.allowedCallers ?? allowedCallersOf;
  const handlers = mounts.map((mount) => ({
    prefix: mount.path.replace(/\/$/, ""),
    handle: createHTTPHandler({
      router: mount.router,
      maxBodySize: options.maxBodyBytes ?? 1_000_000,
      // Our clients send queries as POST, so that no input (a session token, a visitor id) is ever in a URL.
      allowMethodOverride: true,
      createContext: async ({ req, info }): Promise<unknown> => {
        const procedures = info.calls.map((call) => call.path);
        if (verifier)
          await authorizeCaller(verifier, mount.name, procedures.length > 0 ? procedures : [""], callersOf, req.headers);
        if (options.control) authorizeControlCall(options.control, req.headers);
        return (await mount.instance.createContext({ headers: req.headers })) as unknown;
      },
      onError: ({ error, path, type }) => {
        recordProcedureError(error.code, getHTTPStatusCodeFromError(error), error.message);
        const entry = { mount: mount.name, path, type, code: error.code, err: error.message };
        if (error.code === "INTERNAL_SERVER_ERROR") logger.error({ ...entry, stack: error.stack }, "procedure failed");
        else logger.info(entry, "procedure refused");
      },
    }),
  }));

  async function readiness(): Promise<{ ready: boolean; checks: Record<string, string> }> {
    const checks: Record<string, string> = {};
    await Promise.all(
      mounts.map(async (mount) => {
        try {
          await mount.instance.checkReady();
          checks[mount.name] = "ok";
        } catch (error) {
          checks[mount.name] = error instanceof Error ? error.message : String(error);
        }
      }),
    );
    const ready = !shuttingDown && Object.values(checks).every((status) => status === "ok");
    return { ready, checks };
  }

  function dispatch(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? "/";
    const pathname = url.split("?", 1)[0] ?? "/";
    if (pathname === "/healthz") return sendJson(res, 200, { status: "ok", service: options.name });
    if (pathname === "/readyz") {
      void readiness().then(({ ready, checks }) =>
        sendJson(res, ready ? 200 : 503, { status: ready ? "ready" : shuttingDown ? "stopping" : "not ready", checks }),
      );
      return;
    }
    const refused = options.control ? refuseControlRequest(options.control, req) : undefined;
    if (refused) {
      logger.warn({ path: pathname, status: refused.status, reason: refused.error }, "control request refused");
      return sendJson(res, refused.status, { error: refused.error });
    }
    const route = options.routes?.find((r) => r.path === pathname && r.method === req.method);
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
    void handler.handle(req, res);
  }

  const server = createServer((req, res) => {
    inFlight += 1;
    if (shuttingDown) res.setHeader("connection", "close");
    res.once("close", () => {
      inFlight -= 1;
      if (inFlight === 0) drained?.();
    });
    dispatch(req, res);
  });
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.host}:${port}`;
  logger.info({ url, mounts: mounts.map((m) => m.path) }, "listening");

  let closing: Promise<void> | undefined;
  function close(): Promise<void> {
    closing ??= (async () => {
      shuttingDown = true;
      logger.info({ inFlight }, "shutting down: no new connections, finishing in-flight requests");
      for (const mount of mounts) mount.instance.stopStreams?.();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        const allDone = new Promise<void>((resolve) => (drained = resolve));
        const timedOut = new Promise<boolean>((resolve) => setTimeout(() => resolve(true), shutdownTimeoutMs).unref());
        if (await Promise.race([allDone.then(() => false), timedOut])) {
          logger.warn({ inFlight }, "shutdown timeout: closing remaining connections");
        }
      }
      server.closeAllConnections();
      await stopped;
      await Promise.all(mounts.map((mount) => mount.instance.close()));
      logger.info("stopped");
    })();
    return closing;
  }

  function closeOnSignals(): void {
    const onSignal = (signal: NodeJS.Signals) => {
      if (shuttingDown) {
        logger.warn({ signal }, "second signal: exiting now");
        process.exit(1);
      }
      logger.info({ signal }, "signal received");
      close()
        .then(flushSpans)
        .then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error({ err: error }, "shutdown failed");
            process.exit(1);
          },
        );
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
  }

  return {
    url,
    port,
    get inFlight() {
      return inFlight;
    },
    close,
    closeOnSignals,
  };
}
