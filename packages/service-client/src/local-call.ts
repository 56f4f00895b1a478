/**
 * A call to a router this process hosts (the monolith, a test): tRPC's in-process link, so the
 * callee runs exactly as over HTTP (its context, its middleware, its error shape, its `onError`),
 * through the callee's door when it has one (`LocalService.admit`), as a promise for the client factory.
 */
import { unstable_localLink as localLink, TRPCClientError, type OperationLink } from "@trpc/client";
import type { AnyRouter } from "@trpc/server";
import { transformer } from "@microshop/transformer";
import { abortReason } from "./abort";
import type { LocalService } from "./resolver";

export interface LocalCall {
  readonly type: "query" | "mutation";
  readonly path: string;
  readonly input: unknown;
  readonly signal: AbortSignal;
}

const links = new WeakMap<LocalService, OperationLink<AnyRouter>>();
let ids = 0;

function linkFor(local: LocalService): OperationLink<AnyRouter> {
  let link = links.get(local);
  if (!link) {
    link = localLink<AnyRouter>({
      router: local.router,
      createContext: () => local.createContext(),
      transformer,
      ...(local.onError ? { onError: local.onError } : {}),
    })({});
    links.set(local, link);
  }
  return link;
}

/** Runs the procedure; settles with its data or its error, or with the signal's reason when it aborts first. */
function run(local: LocalService, call: LocalCall): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const { signal } = call;
    if (signal.aborted) return reject(abortReason(signal));
    const operation = { id: ++ids, type: call.type, path: call.path, input: call.input, context: {}, signal };
    const onAbort = () => {
      subscription.unsubscribe();
      reject(abortReason(signal));
    };
    const done = () => signal.removeEventListener("abort", onAbort);
    const subscription = linkFor(local)({
      op: operation,
      next: () => {
        throw new Error("the in-process link is the last one");
      },
    }).subscribe({
      next: (envelope) => {
        done();
        resolve((envelope.result as { data?: unknown }).data);
      },
      error: (error) => {
        done();
        reject(error);
      },
    });
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** The call through the callee's door: it runs once admitted, and its turn ends with it. */
export async function localCall(local: LocalService, call: LocalCall): Promise<unknown> {
  if (!local.admit) return run(local, call);
  let release: () => void;
  try {
    release = await local.admit(call.signal);
  } catch (error) {
    throw TRPCClientError.from(error instanceof Error ? error : new Error(String(error)));
  }
  try {
    return await run(local, call);
  } finally {
    release();
  }
}
