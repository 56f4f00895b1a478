import {
  createTRPCClient,
  httpLink,
  unstable_localLink as localLink,
  TRPCClientError,
  type OperationLink,
  type TRPCClient,
  type TRPCLink,
} from "@trpc/client";
import type { AnyRouter } from "@trpc/server";
import { observable } from "@trpc/server/observable";
import type { ServiceName } from "@microshop/topology";
import { SERVICE_TOKEN_HEADER, serviceTokenSigner, type ProcessCredentials } from "@microshop/service-auth";
import { tracingLink } from "@microshop/tracing/trpc-link";
import { transformer } from "@microshop/transformer";
import type { LocalService, Route, ServiceResolver } from "./resolver";

export type { TRPCClient };

export interface ServiceClientOptions {
  /** Where each call goes: in-process when this process hosts the service, else one of its addresses. */
  readonly resolver: ServiceResolver;
  /** Whom calls over HTTP are signed as, and with which key (`@microshop/service-auth`); unsigned without. */
  readonly credentials?: ProcessCredentials;
  /** Per-call deadline. Default 3000 ms. */
  readonly timeoutMs?: number;
  /** Extra headers for every HTTP call (test ids). */
  readonly headers?: () => Record<string, string>;
}

/**
 * The transport, chosen per call by the resolver: the hosted router through tRPC's in-process
 * link, else the next address over HTTP. One link per destination, made when first used.
 */
export function resolvingLink(
  service: ServiceName,
  resolver: ServiceResolver,
  headers: () => Promise<Record<string, string>>,
): TRPCLink<AnyRouter> {
  return (runtime) => {
    const inProcess = new WeakMap<LocalService, OperationLink<AnyRouter>>();
    const overHttp = new Map<string, OperationLink<AnyRouter>>();
    const linkTo = (route: Route): OperationLink<AnyRouter> => {
      if ("local" in route) {
        const { local } = route;
        let link = inProcess.get(local);
        if (!link) {
          link = localLink<AnyRouter>({
            router: local.router,
            createContext: () => local.createContext(),
            transformer,
            ...(local.onError ? { onError: local.onError } : {}),
          })(runtime);
          inProcess.set(local, link);
        }
        return link;
      }
      let link = overHttp.get(route.url);
      if (!link) {
        // Every call as POST, queries too: a query's input (a session token, a visitor id) would otherwise travel in the URL.
        link = httpLink<AnyRouter>({ url: route.url, transformer, headers, methodOverride: "POST" })(runtime);
        overHttp.set(route.url, link);
      }
      return link;
    };
    return (opts) => linkTo(resolver.route(service))(opts);
  };
}

/**
 * Gives every operation a deadline, in both modes. At the deadline the caller gets an error that
 * names the service, and the operation is aborted (HTTP: the request is cancelled), whether or not
 * the other side notices.
 */
export function timeoutLink<TRouter extends AnyRouter>(service: string, timeoutMs: number): TRPCLink<TRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        const deadline = new AbortController();
        const signal = op.signal ? AbortSignal.any([op.signal, deadline.signal]) : deadline.signal;
        let settled = false;
        const subscription = next({ ...op, signal }).subscribe({
          next: (value) => observer.next(value),
          complete: () => {
            settled = true;
            clearTimeout(timer);
            observer.complete();
          },
          error: (error) => {
            settled = true;
            clearTimeout(timer);
            observer.error(error);
          },
        });
        const timer = setTimeout(() => {
          if (settled) return;
          settled = true;
          deadline.abort();
          subscription.unsubscribe();
          observer.error(
            new TRPCClientError(`The ${service} service did not answer within ${timeoutMs} ms`, {
              meta: { timeout: true, service },
            }),
          );
        }, timeoutMs);
        return () => {
          clearTimeout(timer);
          subscription.unsubscribe();
        };
      });
}

/**
 * The one way a service (or the BFF) gets a typed client for another service. Pass the router as
 * a type argument only: `createServiceClient<InventoryRouter>("inventory", { resolver })`.
 */
export function createServiceClient<TRouter extends AnyRouter>(
  name: ServiceName,
  options: ServiceClientOptions,
): TRPCClient<TRouter> {
  const sign = options.credentials ? serviceTokenSigner(options.credentials, name) : undefined;
  const headers = async (): Promise<Record<string, string>> => ({
    ...options.headers?.(),
    ...(sign ? { [SERVICE_TOKEN_HEADER]: await sign() } : {}),
  });
  // Links are built for any router: every router of ours uses the same transformer, and the
  // caller's type argument is what gives the client its types.
  // Outermost the deadline, then a client span per call, then the transport (which runs inside the span).
  const links = [
    timeoutLink<AnyRouter>(name, options.timeoutMs ?? 3_000),
    tracingLink<AnyRouter>(name),
    resolvingLink(name, options.resolver, headers),
  ] as unknown as TRPCLink<TRouter>[];
  return createTRPCClient<TRouter>({ links });
}
