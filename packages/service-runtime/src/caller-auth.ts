/**
 * Trust between processes at the door of a mount: every tRPC call must carry a service token
 * (`@microshop/service-auth`) signed by a process of the system, made for the mount it calls, from
 * a caller that mount allows for every procedure the request calls (the topology's `allowedCallersOf`).
 */
import type { IncomingHttpHeaders } from "node:http";
import { CallerNotTrusted, createServiceTokenVerifier, SERVICE_TOKEN_HEADER } from "@microshop/service-auth";
import { allowedCallersOf } from "@microshop/topology";
import { TRPCError } from "@trpc/server";

export interface ServiceTrust {
  /** Every process's public key (`SERVICE_TRUSTED_KEYS`). */
  readonly trustedKeys: string;
  readonly allowedCallers?: (mount: string, procedure: string) => readonly string[];
}

/** Refuses a call that does not come from a process of the system (401), or from one this mount does not serve (403). */
export type CallerCheck = (mount: string, procedures: readonly string[], headers: IncomingHttpHeaders) => Promise<void>;

export function createCallerCheck(trust: ServiceTrust): CallerCheck {
  const verifier = createServiceTokenVerifier(trust.trustedKeys);
  const callersOf = trust.allowedCallers ?? allowedCallersOf;
  return async (mount, procedures, headers) => {
    const token = headers[SERVICE_TOKEN_HEADER];
    let caller: string;
    try {
      ({ caller } = await verifier.verify(Array.isArray(token) ? token[0] : token, mount));
    } catch (error) {
      if (!(error instanceof CallerNotTrusted)) throw error;
      throw new TRPCError({
        code: "UNAUTHORIZED",
        message: `This service only answers the system's own processes: ${error.message}`,
      });
    }
    // Every call of a batch: one procedure the caller may not use refuses the whole request.
    for (const procedure of procedures) {
      const allowed = callersOf(mount, procedure);
      if (allowed.includes(caller)) continue;
      throw new TRPCError({
        code: "FORBIDDEN",
        message: `The ${mount} service does not serve ${caller}${procedure ? ` for ${procedure}` : ""}: ${allowed.length > 0 ? `only ${allowed.join(", ")} may call it` : "nobody may call it"} (topology)`,
      });
    }
  };
}
