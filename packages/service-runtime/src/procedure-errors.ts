/**
 * The one path a failed procedure takes, over HTTP (the adapter's `onError`) and in-process (the
 * local link's): the span is marked, and the service that failed logs it, a fault as an error
 * with its stack, a refusal (bad input, not allowed) as info.
 */
import type { ProcedureFailure } from "@microshop/service-client/resolver";
import { recordProcedureError } from "@microshop/tracing/rpc";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { Logger } from "./logger";

export function procedureErrorHandler(mount: string, logger: Logger): (failure: ProcedureFailure) => void {
  return ({ error, path, type }) => {
    recordProcedureError(error.code, getHTTPStatusCodeFromError(error), error.message);
    const entry = { mount, path, type, code: error.code, err: error.message };
    if (error.code === "INTERNAL_SERVER_ERROR") logger.error({ ...entry, stack: error.stack }, "procedure failed");
    else logger.info(entry, "procedure refused");
  };
}
