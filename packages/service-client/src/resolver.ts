/**
 * Where a call to a service goes, answered per call: to its router when this process hosts it (the
 * monolith, a test), else to one of its current endpoints, by weight. Both can change while the
 * process runs (replicas join and leave, a canary takes a share, a service moves into or out of the
 * process), so a client asks at every call instead of deciding once when it is made.
 *
 * Weights are shared out by smooth weighted round-robin, as nginx does it: each pick, every
 * endpoint gains its weight, the one furthest ahead is picked and falls back by the total. 10/90
 * then interleaves (one call in ten, spread out) rather than sending ten in a row; weight 0 gets nothing.
 */
import type { AnyRouter, inferRouterContext, TRPCError } from "@trpc/server";
import type { Endpoint } from "@microshop/lab/feed";
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
  /** The process serving it, for the lab's call tallies (the monolith's instance). */
  readonly instance?: string;
  /**
   * The callee's door for in-process calls, as its HTTP server has one (a concurrency limit, a CPU
   * cost): resolves when the call may run, with the function that ends its turn; rejects when the
   * signal ends the wait first.
   */
  readonly admit?: (signal: AbortSignal | undefined) => Promise<() => void>;
}

/** The next call's destination: a hosted router, or one endpoint (its address and the process behind it). */
export type Route = { readonly local: LocalService } | { readonly url: string; readonly instance: string };

/** Where a service answers, with weights: `Endpoint` of the lab feed, its version aside. */
export type WeightedEndpoint = Pick<Endpoint, "url" | "instance" | "weight">;

export interface ServiceResolver {
  /** Where the next call to `name` goes; over addresses, each call takes the next one. */
  route(name: ServiceName): Route;
  /** Routes calls to `name` to this process's router from now on, for clients made before as well. */
  host(name: string, local: LocalService): void;
  unhost(name: string): void;
  /** Replaces the addresses of `name` (base URLs of its tRPC endpoint) for the calls from now on, equal weights. */
  setAddresses(name: ServiceName, urls: readonly string[]): void;
  /** Replaces the endpoints of `name` for the calls from now on, each taking its weight's share. */
  setEndpoints(name: ServiceName, endpoints: readonly WeightedEndpoint[]): void;
  addresses(name: ServiceName): readonly string[];
  endpoints(name: ServiceName): readonly WeightedEndpoint[];
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

/** An endpoint of `urls`, named by its address when nothing else names it (addresses from the environment). */
function equalWeights(urls: readonly string[]): WeightedEndpoint[] {
  return urls.map((url) => ({ url, instance: url, weight: 1 }));
}

interface Turns {
  readonly endpoints: readonly WeightedEndpoint[];
  /** How far ahead each endpoint is (smooth weighted round-robin's current weights). */
  readonly current: number[];
}

/** The next endpoint by smooth weighted round-robin; undefined when none takes calls. */
function pick(turns: Turns): WeightedEndpoint | undefined {
  let total = 0;
  let best = -1;
  turns.endpoints.forEach((endpoint, index) => {
    if (endpoint.weight <= 0) return;
    total += endpoint.weight;
    turns.current[index] = (turns.current[index] ?? 0) + endpoint.weight;
    if (best < 0 || (turns.current[index] ?? 0) > (turns.current[best] ?? 0)) best = index;
  });
  if (best < 0) return undefined;
  turns.current[best] = (turns.current[best] ?? 0) - total;
  return turns.endpoints[best];
}

/** Turns for a new list, keeping each endpoint's place when it was already there, so a repeated list changes nothing. */
function nextTurns(previous: Turns | undefined, endpoints: readonly WeightedEndpoint[]): Turns {
  const current = endpoints.map((endpoint) => {
    const before = previous?.endpoints.findIndex((old) => old.url === endpoint.url && old.instance === endpoint.instance);
    return before === undefined || before < 0 ? 0 : (previous?.current[before] ?? 0);
  });
  return { endpoints: endpoints.map(({ url, instance, weight }) => ({ url, instance, weight })), current };
}

/**
 * A resolver whose addresses start as `env` says (`<NAME>_SERVICE_URLS`, else the topology's
 * default), read and checked here once; nothing is hosted until `host` is called.
 */
export function createServiceResolver(env: Readonly<Record<string, string | undefined>>): ServiceResolver {
  const turns = new Map<ServiceName, Turns>(
    serviceNames.map((name) => [name, nextTurns(undefined, equalWeights(serviceUrls(name, env)))]),
  );
  const hosted = new Map<string, LocalService>();
  const setEndpoints = (name: ServiceName, endpoints: readonly WeightedEndpoint[]): void => {
    for (const { url } of endpoints) if (!URL.canParse(url)) throw new Error(`Not a URL for ${name}: ${JSON.stringify(url)}`);
    turns.set(name, nextTurns(turns.get(name), endpoints));
  };
  return {
    route(name) {
      const local = hosted.get(name);
      if (local) return { local };
      const state = turns.get(name);
      const endpoint = state ? pick(state) : undefined;
      if (endpoint === undefined) throw new Error(`The ${name} service has no address taking calls`);
      return { url: endpoint.url, instance: endpoint.instance };
    },
    host: (name, local) => void hosted.set(name, local),
    unhost: (name) => void hosted.delete(name),
    setAddresses: (name, urls) => setEndpoints(name, equalWeights(urls)),
    setEndpoints,
    addresses: (name) => (turns.get(name)?.endpoints ?? []).map((endpoint) => endpoint.url),
    endpoints: (name) => turns.get(name)?.endpoints ?? [],
  };
}
