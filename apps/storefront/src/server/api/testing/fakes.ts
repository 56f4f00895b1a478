import { createServer } from "node:net";
import type { LocalService, ServiceResolver } from "@microshop/service-client/resolver";
import { transformer } from "@microshop/transformer";
import { type AnyRouter, initTRPC } from "@trpc/server";
import { parseEnv } from "~/env";
import { createCaller } from "../root";
import { createServiceClients, serviceResolverFor } from "../services";
import { createTRPCContext } from "../trpc";

/** The tRPC builder a fake downstream service is made with: the same wire format as the real ones. */
export const fakeService = initTRPC.create({ transformer });

/** A port nothing listens on: taken from the OS, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  if (address === null || typeof address === "string") throw new Error("no TCP port was assigned");
  return address.port;
}

const fakes = new Map<string, LocalService>();

/**
 * Stands a fake router in for a downstream service, reached in-process (the client factory's monolith
 * mode) by the clients of `fakeServiceClients`, until the returned function is called.
 */
export function useFakeService(
  name: "product" | "inventory" | "cart" | "order" | "user" | "email",
  router: AnyRouter,
): () => void {
  fakes.set(name, { router, createContext: () => Promise.resolve({}) });
  return () => fakes.delete(name);
}

/** The BFF's clients made from `vars` (service URLs, timeouts): a service with a fake standing in reaches it. */
export function fakeServiceClients(vars: Record<string, string> = {}) {
  const env = parseEnv(vars);
  const addresses = serviceResolverFor(env);
  const resolver: ServiceResolver = {
    ...addresses,
    route: (name) => {
      const fake = fakes.get(name);
      return fake ? { local: fake } : addresses.route(name);
    },
  };
  return createServiceClients(env, resolver);
}

/** The BFF, called in-process with clients made from `vars` (service URLs, timeouts). */
export function bffCaller(vars: Record<string, string> = {}) {
  return createCaller(createTRPCContext({ headers: new Headers(), services: fakeServiceClients(vars) }));
}
