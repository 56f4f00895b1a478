import {
  createTRPCClient,
  httpLink,
  unstable_localLink as localLink,
  TRPCClientError,
  type TRPCClient,
  type TRPCLink,
} from "@trpc/client";
import type { AnyRouter, inferRouterContext } from "@trpc/server";
import { observable } from "@trpc/server/observable";
import { defaultServiceUrl, serviceUrlsEnvName, type ServiceName } from "@microshop/topology";
import { SERVICE_TOKEN_HEADER, serviceTokenSigner, type ProcessCredentials } from "@microshop/service-auth";
import { tracingLink } from "@microshop/tracing/trpc-link";
import { transformer } from "@microshop/transformer";

export type { TRPCClient };

/** A router mounted in this very process (monolith mode), reached without the network. */
export interface LocalService<TRouter extends AnyRouter = AnyRouter> {
  readonly router: TRouter;
  readonly createContext: () => Promise<inferRouterContext<TRouter>>;
}

// Kept on globalThis so that two copies of this module (bundled twice) still share one registry.
const registryKey = Symbol.for("microshop.localServices");
const globalRegistry = globalThis as typeof globalThis & { [registryKey]?: Map<ServiceName, LocalService> };
const localServices: Map<ServiceName, LocalService> = (globalRegistry[registryKey] ??= new Map<ServiceName, LocalService>());

/** Monolith mode: clients created after this call reach `name` in-process. */
export function registerLocalService<TRouter extends AnyRouter>(name: ServiceName, service: LocalService<TRouter>): void {
  localServices.set(name, service);
}

export function unregisterLocalService(name: ServiceName): void {
  localServices.delete(name);
}

export interface ServiceClientOptions {
  /** Per-call deadline. Default 3000 ms. */
  readonly timeoutMs?: number;
  /** Where addresses are read from. Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Extra headers for every HTTP call (test ids). */
  readonly headers?: () => Record<string, string>;
  /**
   * Whom calls are signed as, and with which key (`@microshop/service-auth`). Default: the caller
   * `MICROSHOP_SERVICE_NAME` with `SERVICE_SIGNING_KEY`, from the process environment; unsigned when
   * this process holds no key.
   */
  readonly credentials?: ProcessCredentials;
}

/** The signer of a client's calls to `callee`, or undefined when this process holds no key. */
function signerFor(options: ServiceClientOptions, callee: ServiceName): (() => Promise<string>) | undefined {
  const credentials =
    options.credentials ??
    (process.env.SERVICE_SIGNING_KEY
      ? { caller: process.env.MICROSHOP_SERVICE_NAME ?? "unknown", signingKey: process.env.SERVICE_SIGNING_KEY }
      : undefined);
  return credentials ? serviceTokenSigner(credentials, callee) : undefined;
}

/** Base URLs of a service's tRPC endpoint, from `<NAME>_SERVICE_URLS` or the local default. */
export function serviceUrls(name: ServiceName, env: NodeJS.ProcessEnv = process.env): string[] {
  const raw = env[serviceUrlsEnvName(name)];
  const urls = (raw ?? "")
    .split(",")
    .map((url) => url.trim())
    .filter((url) => url.length > 0);
  for (const url of urls) {
    if (!URL.canParse(url)) throw new Error(`${serviceUrlsEnvName(name)} holds an invalid URL: ${JSON.stringify(url)}`);
  }
  return urls.length > 0 ? urls : [defaultServiceUrl(name)];
}

/** Sends each operation to the next link in turn: client-side load balancing across replicas. */
export function roundRobinLink<TRouter extends AnyRouter>(links: readonly TRPCLink<TRouter>[]): TRPCLink<TRouter> {
  if (links.length === 0) throw new Error("roundRobinLink needs at least one link");
  return (runtime) => {
    const ready = links.map((link) => link(runtime));
    let next = 0;
    return (opts) => {
      const chosen = ready[next % ready.length]!;
      next += 1;
      return chosen(opts);
    };
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
 * a type argument only: `createServiceClient<InventoryRouter>("inventory")`.
 */
export function createServiceClient<TRouter extends AnyRouter>(
  name: ServiceName,
  options: ServiceClientOptions = {},
): TRPCClient<TRouter> {
  const timeoutMs = options.timeoutMs ?? 3_000;
  const local = localServices.get(name);
  const sign = signerFor(options, name);
  const headers = async (): Promise<Record<string, string>> => ({
    ...options.headers?.(),
    ...(sign ? { [SERVICE_TOKEN_HEADER]: await sign() } : {}),
  });
  // Links are built for any router: every router of ours uses the same transformer, and the
  // caller's type argument is what gives the client its types.
  const terminal: TRPCLink<AnyRouter> = local
    ? localLink<AnyRouter>({ router: local.router, createContext: () => local.createContext(), transformer })
    : roundRobinLink<AnyRouter>(
        serviceUrls(name, options.env).map((url) =>
          // Every call as POST, queries too: a query's input (a session token, a visitor id) would otherwise travel in the URL.
          httpLink<AnyRouter>({ url, transformer, headers, methodOverride: "POST" }),
        ),
      );
  // Outermost the deadline, then a client span per call, then the transport (which runs inside the span).
  const links = [
    timeoutLink<AnyRouter>(name, timeoutMs),
    tracingLink<AnyRouter>(name),
    terminal,
  ] as unknown as TRPCLink<TRouter>[];
  return createTRPCClient<TRouter>({ links });
}
