import type { ServiceClients } from "./services";

/** What every procedure of the BFF can use; made by `createTRPCContext` in ./trpc. */
export interface Context {
  readonly headers: Headers;
  /** Where an HTTP call sets cookies; null for server components, which only read. */
  readonly resHeaders: Headers | null;
  readonly services: ServiceClients;
}
