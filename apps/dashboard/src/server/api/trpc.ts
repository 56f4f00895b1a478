/**
 * The dashboard's backend-for-frontend (BFF), read top to bottom:
 * 1. context: the typed clients of the telemetry service, the supervisor and the control plane
 * 2. initialization: transformer, the shared error shape, SSE keep-alive
 * 3. router and procedure builders
 *
 * The browser only talks to this router; it reads the telemetry service and drives the supervisor.
 */
import { serviceTokenSigner } from "@microshop/service-auth";
import { initTRPC } from "@trpc/server";
import { transformer } from "@microshop/transformer";
import { z, ZodError } from "zod";
import { env, type Env } from "~/env";
import type { RequestEvent } from "~/telemetry/contract";
import { ADMIN_TOKEN_HEADER } from "~/lib/admin-token";
import { authorizeControl, isLoopback, type AdminPolicy } from "./admin";
import { createControlPlaneClient, type ControlPlaneClient } from "./control-plane-client";
import { LiveRelay } from "./live-relay";
import { createSupervisorClient, type SupervisorClient } from "./supervisor-client";
import { createTelemetryClient, type TelemetryClient } from "./telemetry-client";

// 1. Context
export interface Context {
  readonly telemetry: TelemetryClient;
  readonly supervisor: SupervisorClient;
  /** The lab's control plane; null when none is configured (the dashboard runs without the stack). */
  readonly controlPlane: ControlPlaneClient | null;
  readonly live: LiveRelay;
  readonly config: Pick<Env, "READ_TIMEOUT_MS" | "STATUS_TIMEOUT_MS" | "CONTROL_TIMEOUT_MS"> &
    Partial<Pick<Env, "LAB_TIMEOUT_MS">>;
  /** Who may stop, start and restart processes (see admin.ts). */
  readonly admin: AdminPolicy;
  /** The admin token this request carries, if the person entered one. */
  readonly presentedAdminToken: string | null;
}

/** The live stream from the telemetry service, shared by every tab that has the map open. */
export function createLiveRelay(telemetry: TelemetryClient): LiveRelay {
  return new LiveRelay(({ onEvents, onEnd }) => {
    const subscription = telemetry.live.requests.subscribe(undefined, {
      onData: (batch: { events: readonly RequestEvent[] }) => onEvents(batch.events),
      onError: (error) => onEnd(error),
      onComplete: () => onEnd(),
    });
    return () => subscription.unsubscribe();
  });
}

export function createContextFor(
  config: Pick<Env, "TELEMETRY_URL" | "SUPERVISOR_URL" | "READ_TIMEOUT_MS" | "STATUS_TIMEOUT_MS" | "CONTROL_TIMEOUT_MS"> &
    Partial<
      Pick<
        Env,
        | "SERVICE_SIGNING_KEY"
        | "SUPERVISOR_CONTROL_TOKEN"
        | "DASHBOARD_ADMIN_TOKEN"
        | "HOST"
        | "CONTROL_PLANE_URL"
        | "LAB_TIMEOUT_MS"
      >
    >,
): Context {
  // Calls to the telemetry service are signed as the dashboard, for it alone, when the stack handed us a key.
  const serviceToken = config.SERVICE_SIGNING_KEY
    ? serviceTokenSigner({ caller: "dashboard", signingKey: config.SERVICE_SIGNING_KEY }, "telemetry")
    : undefined;
  const telemetry = createTelemetryClient(config.TELEMETRY_URL, serviceToken);
  const admin = { token: config.DASHBOARD_ADMIN_TOKEN, loopbackOnly: isLoopback(config.HOST ?? "127.0.0.1") };
  return {
    telemetry,
    supervisor: createSupervisorClient(config.SUPERVISOR_URL, config.SUPERVISOR_CONTROL_TOKEN),
    controlPlane: config.CONTROL_PLANE_URL
      ? createControlPlaneClient(config.CONTROL_PLANE_URL, config.SUPERVISOR_CONTROL_TOKEN)
      : null,
    live: createLiveRelay(telemetry),
    config,
    admin,
    presentedAdminToken: null,
  };
}

// Made once per process: the clients keep connections and the relay is shared across requests.
let defaultContext: Context | undefined;
export function createTRPCContext(request: Request): Context {
  defaultContext ??= createContextFor(env);
  return { ...defaultContext, presentedAdminToken: request.headers.get(ADMIN_TOKEN_HEADER) };
}

// 2. Initialization
const t = initTRPC.context<Context>().create({
  transformer,
  errorFormatter: ({ shape, error }) => {
    const zodError = error.cause instanceof ZodError ? z.flattenError(error.cause) : null;
    const { stack: _stack, ...data } = shape.data;
    return { ...shape, data: { ...data, zodError } };
  },
  // A comment line every few seconds keeps idle SSE connections open through proxies.
  sse: { ping: { enabled: true, intervalMs: 5_000 }, client: { reconnectAfterInactivityMs: 12_000 } },
});

// 3. Router and procedures
export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure;

/** Actions that change the running system (stop, start, restart): admin only outside local development. */
export const adminProcedure = t.procedure.use(({ ctx, next }) => {
  authorizeControl(ctx.admin, ctx.presentedAdminToken);
  return next();
});

/** A deadline for one downstream call. */
export const deadline = (ms: number): { signal: AbortSignal } => ({ signal: AbortSignal.timeout(ms) });
