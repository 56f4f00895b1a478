/**
 * Starts a service inside this process and hosts it in a resolver, so every client of that
 * resolver reaches it in-process from now on, whenever it was made (the monolith; tests). A failed
 * in-process call is logged by the hosted service, as a failed HTTP call is; with the lab, each
 * in-process call passes the service's capacity gate, as its HTTP calls do.
 */
import type { ServiceResolver } from "@microshop/service-client/resolver";
import type { AnyRouter, inferRouterContext } from "@trpc/server";
import { createServiceContext, type ServiceContextOptions } from "./context";
import { procedureErrorHandler } from "./procedure-errors";
import type { ServiceDefinition, ServiceInstance } from "./service";

export async function hostService<TRouter extends AnyRouter>(
  definition: ServiceDefinition<TRouter>,
  options: ServiceContextOptions & { readonly resolver: ServiceResolver },
): Promise<ServiceInstance<inferRouterContext<TRouter>>> {
  const context = createServiceContext(definition.name, options);
  const instance = await definition.start(context);
  const gate = options.lab?.gate(definition.name);
  options.resolver.host(definition.name, {
    router: definition.router,
    createContext: () => instance.createContext({ headers: {} }),
    onError: procedureErrorHandler(definition.name, options.logger),
    instance: context.instance,
    ...(gate ? { admit: (signal: AbortSignal | undefined) => gate.admit(signal) } : {}),
  });
  return instance;
}
