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
import { traceHeaders } from "@microshop/tracing/trace-headers";
import { tracingLink } from "@microshop/tracing/trpc-link";
import { transformer } from "@microshop/transformer";
import { keepAliveFetch } from "./keep-alive-fetch";
import { faultLink, instanceOf, LAB_DELAY_HEADER, labDelayHeaderValue, type ClientLab } from "./fault-link";
import type { LocalService, Route, ServiceResolver } from "./resolver";
import { failsTheCallee, type CallTallies } from "./tallies";

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
  /**
   * The lab's faults for this process's calls, and where they are counted (`fault-link.ts`);
   * without it no fault applies and nothing is counted.
   */
  readonly lab?: ClientLab;
  /** Whom an edge fault names as the caller. Default: the caller the credentials sign as. */
  readonly caller?: string;
}

/**
 * The transport, chosen per call by the resolver: the hosted router through tRPC's in-process
 * link, else the next address over HTTP. One link per destination, made when first used.
 */
export function resolvingLink(
  service: ServiceName,
  resolver: ServiceResolver,
  headers: () => Promise<Record<string, string>>,
  tallies?: CallTallies,
): TRPCLink<AnyRouter> {
  return (runtime) => {
    const inProcess = new WeakMap<LocalService, OperationLink<AnyRouter>>();
    const overHttp = new Map<string, OperationLink<AnyRouter>>();
    // Keep-alive node:http rather than the global fetch: half the client's cost of a call (`keep-alive-fetch.ts`).
    const fetch = keepAliveFetch();
    const linkTo = (route: Route): OperationLink<AnyRouter> => {
      if ("local" in route) {
        const { local } = route;
        let link = inProcess.get(local);
        if (!link) {
          const direct = localLink<AnyRouter>({
            router: local.router,
            createContext: () => local.createContext(),
            transformer,
            ...(local.onError ? { onError: local.onError } : {}),
          })(runtime);
          link = local.admit ? admitted(local.admit, direct) : direct;
          inProcess.set(local, link);
        }
        return link;
      }
      let link = overHttp.get(route.url);
      if (!link) {
        // Every call as POST, queries too: a query's input (a session token, a visitor id) would otherwise travel in the URL.
        link = httpLink<AnyRouter>({
          url: route.url,
          transformer,
          fetch,
          // The call's trace context, from inside its span (the call's span is the hop's client span:
          // `traceHeaders`), and the delay the fault link waited before this call, if any (`LAB_DELAY_HEADER`).
          headers: async ({ op }) => {
            const traced = traceHeaders();
            const delay = labDelayHeaderValue(op.context);
            return { ...(await headers()), ...traced, ...(delay === undefined ? {} : { [LAB_DELAY_HEADER]: delay }) };
          },
          methodOverride: "POST",
        })(runtime);
        overHttp.set(route.url, link);
      }
      return link;
    };
    return (opts) => {
      const route = resolver.route(service);
      const call = linkTo(route)(opts);
      return tallies ? tallied(call, (ok) => tallies.record(service, instanceOf(route), ok)) : call;
    };
  };
}

type CallObservable = ReturnType<OperationLink<AnyRouter>>;

/** The call, counted once as it ends: answered, failed, or given up on (a deadline) before it answered. */
function tallied(call: CallObservable, record: (ok: boolean) => void): CallObservable {
  return observable((observer) => {
    let counted = false;
    const count = (ok: boolean) => {
      if (counted) return;
      counted = true;
      record(ok);
    };
    const subscription = call.subscribe({
      next: (value) => observer.next(value),
      error: (error) => {
        count(!failsTheCallee(error));
        observer.error(error);
      },
      complete: () => {
        count(true);
        observer.complete();
      },
    });
    return () => {
      count(false);
      subscription.unsubscribe();
    };
  });
}

/** An in-process call through the callee's door (`LocalService.admit`): it runs once admitted, its turn ends with it. */
function admitted(admit: NonNullable<LocalService["admit"]>, link: OperationLink<AnyRouter>): OperationLink<AnyRouter> {
  return (opts) =>
    observable((observer) => {
      let release: (() => void) | undefined;
      let subscription: { unsubscribe(): void } | undefined;
      let closed = false;
      const end = () => {
        release?.();
        release = undefined;
      };
      admit(opts.op.signal ?? undefined).then(
        (done) => {
          release = done;
          if (closed) return end();
          subscription = link(opts).subscribe({
            next: (value) => observer.next(value),
            error: (error) => {
              end();
              observer.error(error);
            },
            complete: () => {
              end();
              observer.complete();
            },
          });
        },
        (error: unknown) => {
          if (!closed) observer.error(TRPCClientError.from(error instanceof Error ? error : new Error(String(error))));
        },
      );
      return () => {
        closed = true;
        subscription?.unsubscribe();
        end();
      };
    });
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
        // One signal for the call: aborted at the deadline or when the caller's own signal aborts.
        // Followed by a listener that goes when the call settles, rather than `AbortSignal.any`,
        // which builds a dependent signal on every call and is still aborted (with the events it
        // fires) when tRPC's client aborts its own signal after every completed call.
        const deadline = new AbortController();
        const callerSignal = op.signal;
        const onCallerAbort = () => deadline.abort(callerSignal?.reason);
        if (callerSignal?.aborted) onCallerAbort();
        else callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
        let settled = false;
        const settle = () => {
          settled = true;
          clearTimeout(timer);
          callerSignal?.removeEventListener("abort", onCallerAbort);
        };
        // Armed before the call goes on: a link below may answer at once (an injected fault), inside `subscribe`.
        const timer = setTimeout(() => {
          if (settled) return;
          settle();
          deadline.abort();
          subscription.unsubscribe();
          observer.error(
            new TRPCClientError(`The ${service} service did not answer within ${timeoutMs} ms`, {
              meta: { timeout: true, service },
            }),
          );
        }, timeoutMs);
        const subscription = next({ ...op, signal: deadline.signal }).subscribe({
          next: (value) => observer.next(value),
          complete: () => {
            settle();
            observer.complete();
          },
          error: (error) => {
            settle();
            observer.error(error);
          },
        });
        return () => {
          // Unsubscribed before it settled (the caller gave up): the call is aborted as before.
          if (!settled) {
            settle();
            onCallerAbort();
          }
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
  const { lab, resolver } = options;
  const caller = options.caller ?? options.credentials?.caller;
  // Links are built for any router: every router of ours uses the same transformer, and the
  // caller's type argument is what gives the client its types.
  // Outermost the deadline, then a client span per call, then the lab's faults and the transport
  // (both inside the span, so an injected fault shows in the trace).
  const links = [
    timeoutLink<AnyRouter>(name, options.timeoutMs ?? 3_000),
    tracingLink<AnyRouter>(name),
    ...(lab ? [faultLink<AnyRouter>(name, caller ?? "unknown", lab, () => resolver.route(name))] : []),
    resolvingLink(name, resolver, headers, lab?.tallies),
  ] as unknown as TRPCLink<TRouter>[];
  return createTRPCClient<TRouter>({ links });
}
