/**
 * What a service is, as the runtime sees it: a router, a default port and a `start` that is handed
 * its context (who it is, its logger, its environment, its clients) and returns what it opened.
 * Only types and `defineService` live here, so the server, the runner and the monolith all build
 * on this file and it on none of them.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { TRPCClient } from "@microshop/service-client";
import type { ServiceName } from "@microshop/topology";
import type { AnyRouter, inferRouterContext } from "@trpc/server";
import type { Logger } from "./logger";

/** What every request's context is built from, whatever the transport (HTTP or in-process). */
export interface RequestInfo {
  readonly headers: IncomingHttpHeaders;
}

/** A plain HTTP endpoint beside the tRPC mounts, for protocols that are not tRPC (OTLP). */
export interface RawRoute {
  readonly method: "GET" | "POST";
  readonly path: string;
  handle(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
}

/** A started service: the resources it opened and how to use and release them. */
export interface ServiceInstance<TContext> {
  createContext(request: RequestInfo): Promise<TContext>;
  /** Throws when the service cannot serve yet (database unreachable, seed missing). */
  checkReady(): Promise<void>;
  /** Releases what `start` opened (database handles, timers). */
  close(): Promise<void>;
  /**
   * Ends long-lived responses (server-sent event streams) at the start of a graceful shutdown, which
   * otherwise waits for every open request and so for a stream that never ends by itself.
   */
  stopStreams?(): void;
  /** Plain HTTP endpoints beside `/trpc` (the telemetry service's OTLP receiver). */
  readonly routes?: readonly RawRoute[];
}

/** What the runtime hands a service at start: nothing else is looked up in globals. */
export interface ServiceContext {
  /** The service's own name: whom its calls are signed as. */
  readonly name: string;
  /** This process among the service's replicas (`SERVICE_INSTANCE_ID`, default the name): its spans' `service.instance.id`. */
  readonly instance: string;
  /** The version running (`SERVICE_VERSION`, default 1.0.0): its spans' `service.version`, and what it may show. */
  readonly version: string;
  readonly logger: Logger;
  /** The environment its own configuration is validated from (`parseConfig(name, schema, env)`). */
  readonly env: NodeJS.ProcessEnv;
  /** A typed client for another service, in-process or over HTTP as the runtime resolves it at each call. */
  readonly client: <TRouter extends AnyRouter>(
    name: ServiceName,
    options?: { readonly timeoutMs?: number },
  ) => TRPCClient<TRouter>;
}

export interface ServiceDefinition<TRouter extends AnyRouter = AnyRouter> {
  readonly name: string;
  readonly router: TRouter;
  /** Default port when `PORT` is not set. */
  readonly defaultPort: number;
  /** Opens resources (validating its own configuration from `context.env`) and seeds an empty database. */
  start(context: ServiceContext): Promise<ServiceInstance<inferRouterContext<TRouter>>>;
}

/** Identity function that lets TypeScript infer a definition's router and context types. */
export function defineService<TRouter extends AnyRouter>(definition: ServiceDefinition<TRouter>): ServiceDefinition<TRouter> {
  return definition;
}
