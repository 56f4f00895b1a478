/**
 * The tRPC HTTP handler of every mount: tRPC's standalone adapter, with a direct path for the one
 * request our clients send, a single query or mutation POSTed as JSON.
 *
 * Why: the adapter turns every Node request into a Fetch `Request` (a web stream over the body),
 * answers a `Response`, and pipes that back through another web stream, writing the answer in
 * chunks; on a call between two services that conversion cost as much as the procedure and its
 * serialisation together. The direct path reads the body (whose length was checked first), calls
 * the procedure through tRPC's own `callTRPCProcedure`, builds the answer with tRPC's own
 * `getErrorShape`, `getHTTPStatusCode` and `transformTRPCResponse` exactly as `resolveResponse`
 * does for a call that is not batched, and writes it once with its length. Hand-written because
 * tRPC offers no Node handler without the Fetch API in between.
 *
 * Everything else goes to the adapter untouched, so every behaviour of tRPC stays the adapter's:
 * GET, batches, streaming and subscriptions, a body without a length or over the limit (413
 * before any of it is read), a path it would decode, a body that is not JSON or not the
 * transformer's (handed over already read, as `req.body`, which the adapter accepts).
 * `trpc-handler.test.ts` sends the same requests to both and compares the answers.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  callTRPCProcedure,
  getErrorShape,
  getTRPCErrorFromUnknown,
  transformTRPCResponse,
  TRPCError,
  type AnyTRPCProcedure,
  type AnyTRPCRootTypes,
  type AnyRouter,
  type TRPCErrorShape,
  type TRPCRootConfig,
} from "@trpc/server";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { getHTTPStatusCode } from "@trpc/server/http";
import type { TRPCRequestInfo } from "@trpc/server/unstable-core-do-not-import";

/** What a failed call tells the mount's `onError`, as the adapter tells it. */
export interface HandlerFailure {
  readonly error: TRPCError;
  readonly path: string | undefined;
  readonly type: string;
  readonly input: unknown;
  readonly ctx: unknown;
  readonly req: IncomingMessage;
}

export interface TRPCNodeHandlerOptions {
  readonly router: AnyRouter;
  /** Bodies above this many bytes get 413 before they are read. */
  readonly maxBodySize: number;
  readonly createContext: (opts: { req: IncomingMessage; res: ServerResponse; info: TRPCRequestInfo }) => Promise<unknown>;
  readonly onError?: (failure: HandlerFailure) => void;
}

/** A procedure path as our clients write it: nothing to decode, nothing a URL parser would change. */
const plainPath = /^\/[A-Za-z0-9_$]+(\.[A-Za-z0-9_$]+)*$/;
/** A host name or address with an optional port. */
const plainHost = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

interface DirectCall {
  readonly path: string;
  readonly procedure: AnyTRPCProcedure;
  readonly type: "query" | "mutation";
  /** For `info.url`, made only if read: none of our contexts does. */
  readonly host: string;
}

/** The request as a single JSON call the direct path answers, or undefined for the adapter. */
function directCall(req: IncomingMessage, router: AnyRouter, maxBodySize: number): DirectCall | undefined {
  const target = req.url ?? "";
  if (req.method !== "POST" || !plainPath.test(target)) return undefined;
  const { headers } = req;
  if (!headers["content-type"]?.startsWith("application/json")) return undefined;
  if (headers["trpc-accept"] !== undefined || headers.accept === "application/jsonl") return undefined;
  const length = Number(headers["content-length"]);
  if (!Number.isSafeInteger(length) || length > maxBodySize || headers["transfer-encoding"] !== undefined) return undefined;
  const path = target.slice(1);
  // The router's procedures by their full path (lazy routers are not in it: the adapter loads those).
  const procedures = router._def.procedures as Record<string, AnyTRPCProcedure | undefined>;
  const procedure = procedures[path];
  const type = procedure?._def.type;
  if (!procedure || (type !== "query" && type !== "mutation")) return undefined;
  const host = headers.host ?? "localhost";
  // A host a URL could not be made with: the adapter answers it (400, "Invalid URL").
  if (!plainHost.test(host)) return undefined;
  return { path, procedure, type, host };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.once("end", () =>
      resolve(chunks.length === 1 ? (chunks[0] as Buffer).toString("utf8") : Buffer.concat(chunks).toString("utf8")),
    );
    req.once("error", reject);
  });
}

/** Aborts when the caller goes away before the answer is written, as the adapter's request signal does. */
function requestSignal(req: IncomingMessage, res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  const onAbort = () => {
    res.off("close", onClose);
    req.off("aborted", onAbort);
    controller.abort();
  };
  const onClose = () => {
    if (res.writableEnded) req.off("aborted", onAbort);
    else onAbort();
  };
  res.once("close", onClose);
  req.once("aborted", onAbort);
  return controller.signal;
}

/** True for what `resolveResponse` refuses to send as a plain JSON answer (an async iterable, promises inside). */
function isDataStream(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (Symbol.asyncIterator in value) return true;
  return Object.values(value).some(
    (item) => item instanceof Promise || (typeof item === "object" && item !== null && Symbol.asyncIterator in item),
  );
}

export function createTRPCNodeHandler(options: TRPCNodeHandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { router, maxBodySize, createContext, onError } = options;
  const adapter = createHTTPHandler({
    router,
    maxBodySize,
    // Our clients send queries as POST, so that no input (a session token, a visitor id) is ever in a URL.
    allowMethodOverride: true,
    createContext: ({ req, res, info }) => createContext({ req, res, info }),
    ...(onError ? { onError: ({ error, path, type, input, ctx, req }) => onError({ error, path, type, input, ctx, req }) } : {}),
  });
  const config = router._def._config as TRPCRootConfig<AnyTRPCRootTypes>;

  const send = (res: ServerResponse, body: Parameters<typeof getHTTPStatusCode>[0]) => {
    const json = JSON.stringify(transformTRPCResponse(config, body));
    res.writeHead(getHTTPStatusCode(body), {
      vary: "trpc-accept, accept",
      "content-type": "application/json",
      "content-length": Buffer.byteLength(json),
    });
    res.end(json);
  };

  /** The router's error shape (its `errorFormatter`'s), typed as what it is once formatted. */
  const shapeOf = (opts: Omit<Parameters<typeof getErrorShape>[0], "config">): TRPCErrorShape => {
    const shape: unknown = getErrorShape({ config, ...opts });
    return shape as TRPCErrorShape;
  };

  /** Answers one direct call; `input` is already parsed and deserialised. */
  const answer = async (req: IncomingMessage, res: ServerResponse, call: DirectCall, input: unknown): Promise<void> => {
    const { path, type } = call;
    const signal = requestSignal(req, res);
    let inputRead = false;
    const getRawInput = () => {
      inputRead = true;
      return Promise.resolve(input);
    };
    // The input as the adapter reports it: only once the procedure has read it.
    const inputSoFar = () => (inputRead ? input : undefined);
    let url: URL | undefined;
    const info: TRPCRequestInfo = {
      accept: null,
      type,
      isBatchCall: false,
      connectionParams: null,
      signal,
      get url() {
        return (url ??= new URL(`/${path}`, `http://${call.host}`));
      },
      calls: [{ path, procedure: call.procedure, batchIndex: 0, getRawInput, result: inputSoFar }],
    };
    let ctx: unknown;
    try {
      let data: unknown;
      try {
        ctx = await createContext({ req, res, info });
        data = await callTRPCProcedure({ router, path, type, ctx, signal, batchIndex: 0, getRawInput });
      } catch (cause) {
        const error = getTRPCErrorFromUnknown(cause);
        onError?.({ error, path, type, input: inputSoFar(), ctx, req });
        send(res, { error: shapeOf({ ctx, error, input: inputSoFar(), path, type }) });
        return;
      }
      if (isDataStream(data))
        throw new TRPCError({
          code: "UNSUPPORTED_MEDIA_TYPE",
          message: "Cannot use stream-like response in non-streaming request - use httpBatchStreamLink",
        });
      send(res, { result: { data } });
    } catch (cause) {
      // What the adapter does when building the answer fails: the error, without path or input.
      const error = getTRPCErrorFromUnknown(cause);
      onError?.({ error, path: undefined, type, input: undefined, ctx, req });
      send(res, { error: shapeOf({ ctx, error, input: undefined, path: undefined, type }) });
    }
  };

  return (req, res) => {
    const call = directCall(req, router, maxBodySize);
    if (!call) return adapter(req, res);
    readBody(req)
      .then(
        (text) => {
          let input: unknown;
          try {
            input = config.transformer.input.deserialize(JSON.parse(text));
          } catch {
            // Not JSON, or not the transformer's: the adapter answers it, from the body already read.
            (req as IncomingMessage & { body?: string }).body = text;
            return adapter(req, res);
          }
          return answer(req, res, call, input);
        },
        // The caller went away while sending: nobody is left to answer.
        () => res.destroy(),
      )
      .catch((error: unknown) => res.destroy(error instanceof Error ? error : undefined));
  };
}
