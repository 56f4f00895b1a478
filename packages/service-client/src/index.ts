import { createTRPCClientProxy, TRPCClientError, type TRPCClient, type TRPCUntypedClient } from "@trpc/client";
import type { AnyRouter } from "@trpc/server";
import type { ServiceName } from "@microshop/topology";
import { SERVICE_TOKEN_HEADER, serviceTokenSigner, type ProcessCredentials } from "@microshop/service-auth";
import { traceCall } from "@microshop/tracing/client-span";
import { traceHeaders } from "@microshop/tracing/trace-headers";
import { applyFaults, instanceOf, labDelayHeaders, type ClientLab } from "./fault-link";
import { httpCall } from "./http-call";
import { localCall } from "./local-call";
import type { Route, ServiceResolver } from "./resolver";
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

/** One call, as the steps of `createServiceClient` pass it on. */
interface Call {
  readonly type: "query" | "mutation";
  readonly path: string;
  readonly input: unknown;
  /** Aborted at the deadline or by the caller. */
  readonly signal: AbortSignal;
}

/** Whatever failed, the caller gets a `TRPCClientError`, as from tRPC's own client. */
function asClientError(error: unknown): TRPCClientError<AnyRouter> {
  return TRPCClientError.from(error instanceof Error ? error : new Error(String(error)));
}

/**
 * Gives the call a deadline, in both modes. At the deadline the caller gets an error that names the
 * service, and the call's signal aborts with that error (HTTP: the request is cancelled on the
 * wire), whether or not the other side notices. The caller's own signal aborts it too.
 */
function withDeadline<T>(
  service: string,
  timeoutMs: number,
  callerSignal: AbortSignal | undefined,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const deadline = new AbortController();
    // A listener that goes when the call settles, rather than `AbortSignal.any`, which builds a
    // dependent signal on every call.
    const onCallerAbort = () => deadline.abort(callerSignal?.reason);
    let settled = false;
    const settle = () => {
      settled = true;
      clearTimeout(timer);
      callerSignal?.removeEventListener("abort", onCallerAbort);
    };
    const timer = setTimeout(() => {
      if (settled) return;
      settle();
      const error = new TRPCClientError<AnyRouter>(`The ${service} service did not answer within ${timeoutMs} ms`, {
        meta: { timeout: true, service },
      });
      deadline.abort(error);
      reject(error);
    }, timeoutMs);
    if (callerSignal?.aborted) onCallerAbort();
    else callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
    call(deadline.signal).then(
      (value) => {
        if (settled) return;
        settle();
        resolve(value);
      },
      (error: unknown) => {
        if (settled) return;
        settle();
        reject(asClientError(error));
      },
    );
  });
}

/** The call to one endpoint, counted once as it ends: answered, or failed (given up on included). */
async function tallied<T>(
  tallies: CallTallies | undefined,
  service: ServiceName,
  route: Route,
  call: () => Promise<T>,
): Promise<T> {
  if (!tallies) return call();
  try {
    const value = await call();
    tallies.record(service, instanceOf(route), true);
    return value;
  } catch (error) {
    tallies.record(service, instanceOf(route), !failsTheCallee(error));
    throw error;
  }
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
  const { lab, resolver } = options;
  const caller = options.caller ?? options.credentials?.caller;
  const timeoutMs = options.timeoutMs ?? 3_000;

  // The transport, chosen per call by the resolver: the hosted router in-process, else the next
  // address over HTTP, every call as a POST (a query's input, a session token or a visitor id,
  // would otherwise travel in the URL), with the call's trace context from inside its span (the
  // call's span is the hop's client span) and the delay the fault step held it for, if any.
  const send = async (call: Call, labDelayMs: number): Promise<unknown> => {
    const route = resolver.route(name);
    return tallied(lab?.tallies, name, route, async () => {
      if ("local" in route) return localCall(route.local, call);
      const traced = traceHeaders();
      const headers = {
        ...options.headers?.(),
        ...(sign ? { [SERVICE_TOKEN_HEADER]: await sign() } : {}),
        ...traced,
        ...labDelayHeaders(labDelayMs),
      };
      try {
        return await httpCall({ url: route.url, path: call.path, input: call.input, headers, signal: call.signal });
      } catch (error) {
        throw asClientError(error);
      }
    });
  };

  // Outermost the deadline, then a client span per call, then the lab's faults and the transport
  // (both inside the span, so an injected fault shows in the trace).
  const request = (type: Call["type"], path: string, input: unknown, signal: AbortSignal | undefined): Promise<unknown> =>
    withDeadline(name, timeoutMs, signal, (deadline) =>
      traceCall(name, path, () => {
        const call: Call = { type, path, input, signal: deadline };
        if (!lab) return send(call, 0);
        return applyFaults(name, caller ?? "unknown", lab, () => resolver.route(name), {
          signal: deadline,
          proceed: (labDelayMs) => send(call, labDelayMs),
        });
      }),
    );

  // tRPC's typed proxy over calls made here: `client.inventory.reserve.mutate(input)` as with
  // `createTRPCClient`, without its chain of links (`http-call.ts` says why). `createTRPCClientProxy`
  // is exported by `@trpc/client` but marked internal: the catalog pins tRPC's version, and this
  // package's tests go through it, so a change there fails them rather than a caller.
  const untyped = {
    query: (path: string, input: unknown, opts?: { signal?: AbortSignal }) => request("query", path, input, opts?.signal),
    mutation: (path: string, input: unknown, opts?: { signal?: AbortSignal }) => request("mutation", path, input, opts?.signal),
    subscription: () => {
      throw new Error(`Calls between services are queries and mutations: ${name} has no subscription for this client`);
    },
  };
  return createTRPCClientProxy<TRouter>(untyped as unknown as TRPCUntypedClient<TRouter>);
}
