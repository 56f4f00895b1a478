/**
 * What a version does besides being itself (`versionFlavours` of the lab): `good` serves as usual;
 * `errors` is a bad build that fails about half of its calls; `breaking` changed its API and refuses
 * what current callers send. Applied at the door of every tRPC call, never to `/healthz` or
 * `/readyz`: a bad build still becomes ready, which is what makes it dangerous.
 */
import type { VersionFlavour } from "@microshop/lab/control-plane";
import { TRPCError } from "@trpc/server";

export interface VersionBehaviour {
  readonly version: string;
  readonly flavour: VersionFlavour;
  /** [0, 1): which calls a bad build fails; tests pass their own. */
  readonly random?: () => number;
}

/** Throws the error this version answers a call to `service` with, if it does. */
export function applyVersionFlavour(service: string, behaviour: VersionBehaviour): void {
  const { version, flavour } = behaviour;
  if (flavour === "errors" && (behaviour.random ?? Math.random)() < 0.5) {
    throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: `Version ${version} of ${service} is a bad build` });
  }
  if (flavour === "breaking") {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: `${service} ${version} changed its API: it expects the v2 input shape; callers send v1`,
    });
  }
}
