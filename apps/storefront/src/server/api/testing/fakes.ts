import { createServer } from "node:net";
import {
  registerLocalService,
  unregisterLocalService,
} from "@microshop/service-client";
import { transformer } from "@microshop/transformer";
import { type AnyRouter, initTRPC } from "@trpc/server";
import { parseEnv } from "~/env";
import { createCaller } from "../root";
import { createServiceClients } from "../services";
import { createTRPCContext } from "../trpc";

/** The tRPC builder a fake downstream service is made with: the same wire format as the real ones. */
export const fakeService = initTRPC.create({ transformer });

/** A port nothing listens on: taken from the OS, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve, reject) =>
    server.close((error) => (error ? reject(error) : resolve())),
  );
  if (address === null || typeof address === "string")
    throw new Error("no TCP port was assigned");
  return address.port;
}

/**
 * Stands a fake router in for a downstream service, reached in-process (the client factory's monolith
 * mode), until the returned function is called.
 */
export function useFakeService(
  name: "product" | "inventory" | "cart" | "order" | "user" | "email",
  router: AnyRouter,
): () => void {
  registerLocalService(name, {
    router,
    createContext: () => Promise.resolve({}),
  });
  return () => unregisterLocalService(name);
}

/** The BFF, called in-process with clients made from `vars` (service URLs, timeouts). */
export function bffCaller(vars: Record<string, string> = {}) {
  const services = createServiceClients(parseEnv(vars));
  return createCaller(createTRPCContext({ headers: new Headers(), services }));
}
