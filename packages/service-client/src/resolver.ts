/**
 * Where a call to a service goes, answered per call: to its router when this process hosts it (the
 * monolith, a test), else to one of its current addresses, in turn. Both can change while the
 * process runs (replicas join and leave, a service moves into or out of the process), so a client
 * asks at every call instead of deciding once when it is made.
 */
import type { AnyRouter, inferRouterContext, TRPCError } from "@trpc/server";
import { defaultServiceUrl, serviceNames, serviceUrlsEnvName, type ServiceName } from "@microshop/topology";

/** A failed procedure call, as tRPC reports it to an `onError` (HTTP adapter or in-process link). */
export interface ProcedureFailure {
  readonly error: TRPCError;
  readonly path: string | undefined;
  readonly type: string;
}

/** A router served by this very process, reached without the network. */
export interface LocalService<TRouter extends AnyRouter = AnyRouter> {
  readonly router: TRouter;
  readonly createContext: () => Promise<inferRouterContext<TRouter>>;
  /** Every failure of an in-process call, as the HTTP server's `onError` sees its own: the callee logs it. */
  readonly onError?: (failure: ProcedureFailure) => void;
}

/** The next call's destination: a hosted router, or one address. */
export type Route = { readonly local: LocalService } | { readonly url: string };

export interface ServiceResolver {
  /** Where the next call to `name` goes; over addresses, each call takes the next one. */
  route(name: ServiceName): Route;
  /** Routes calls to `name` to this process's router from now on, for clients made before as well. */
  host(name: string, local: LocalService): void;
  unhost(name: string): void;
  /** Replaces the addresses of `name` (base URLs of its tRPC endpoint) for the calls from now on. */
  setAddresses(name: ServiceName, urls: readonly string[]): void;
  addresses(name: ServiceName): readonly string[];
}

/** Base URLs of a service's tRPC endpoint, from `<NAME>_SERVICE_URLS` or the local default. */
export function serviceUrls(name: ServiceName, env: Readonly<Record<string, string | undefined>>): string[] {
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

/**
 * A resolver whose addresses start as `env` says (`<NAME>_SERVICE_URLS`, else the topology's
 * default), read and checked here once; nothing is hosted until `host` is called.
 */
export function createServiceResolver(env: Readonly<Record<string, string | undefined>>): ServiceResolver {
  const addresses = new Map<ServiceName, readonly string[]>(serviceNames.map((name) => [name, serviceUrls(name, env)]));
  const hosted = new Map<string, LocalService>();
  const calls = new Map<ServiceName, number>();
  return {
    route(name) {
      const local = hosted.get(name);
      if (local) return { local };
      const urls = addresses.get(name) ?? [];
      const turn = calls.get(name) ?? 0;
      calls.set(name, turn + 1);
      const url = urls[turn % urls.length];
      if (url === undefined) throw new Error(`The ${name} service has no address`);
      return { url };
    },
    host: (name, local) => void hosted.set(name, local),
    unhost: (name) => void hosted.delete(name),
    setAddresses(name, urls) {
      for (const url of urls) if (!URL.canParse(url)) throw new Error(`Not a URL for ${name}: ${JSON.stringify(url)}`);
      addresses.set(name, [...urls]);
    },
    addresses: (name) => addresses.get(name) ?? [],
  };
}
