import { services } from "@microshop/topology";
import type { TopologyView } from "~/lib/map-model";

/**
 * The topology as the map reads it. The storefront is not in packages/topology (it is not a
 * service), so the services its BFF calls are listed here: the ones it has a client for.
 */
export const topologyView: TopologyView = {
  services: Object.fromEntries(
    Object.values(services).map((info) => [info.name, { description: info.description, dependsOn: info.dependsOn }]),
  ),
  storefrontCalls: ["product", "inventory", "cart", "order", "user", "email"],
};
