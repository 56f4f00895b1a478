/**
 * The system's map: which services exist, where they listen by default and whom they call.
 * The supervisor, the typed client factory, the runtime and the dashboard all read this one list,
 * so adding a service is one entry here.
 */

export const serviceNames = ["product", "inventory", "cart", "order", "payment", "email", "user"] as const;
export type ServiceName = (typeof serviceNames)[number];

export interface ServiceInfo {
  readonly name: ServiceName;
  /** Default port in microservices mode (12-factor: `PORT` overrides it). */
  readonly port: number;
  /** What the service is for, in one sentence a learner can read on the map. */
  readonly description: string;
  /** Services this one calls; the supervisor starts these first. */
  readonly dependsOn: readonly ServiceName[];
  /** Its package, relative to the repository root (its `src/main.ts`, `prisma/` and `dist/`). */
  readonly folder: string;
}

export const services: Readonly<Record<ServiceName, ServiceInfo>> = {
  product: {
    name: "product",
    port: 4001,
    description: "Catalog: products, categories and search.",
    dependsOn: [],
    folder: "apps/services/product",
  },
  inventory: {
    name: "inventory",
    port: 4002,
    description: "Stock per product; reserves, commits and releases stock for orders.",
    dependsOn: [],
    folder: "apps/services/inventory",
  },
  cart: {
    name: "cart",
    port: 4003,
    description: "Carts by visitor or user; checks prices with product and quantities with inventory.",
    dependsOn: ["product", "inventory", "user"],
    folder: "apps/services/cart",
  },
  order: {
    name: "order",
    port: 4004,
    description: "Checkout as a saga: reserve stock, charge, commit, confirm, email; compensates any failed step.",
    dependsOn: ["product", "inventory", "payment", "email", "user"],
    folder: "apps/services/order",
  },
  payment: {
    name: "payment",
    port: 4005,
    description: "Simulated card processor: test cards, declines, idempotent charges and refunds.",
    dependsOn: [],
    folder: "apps/services/payment",
  },
  email: {
    name: "email",
    port: 4006,
    description: "Transactional email: an outbox delivered with retries, and the inbox the store shows.",
    dependsOn: ["user"],
    folder: "apps/services/email",
  },
  user: {
    name: "user",
    port: 4007,
    description: "Accounts, password hashing, sessions and saved addresses.",
    dependsOn: [],
    folder: "apps/services/user",
  },
};

/**
 * Processes that call services without being one: the storefront's BFF (its clients in
 * `apps/storefront/src/server/api/services.ts`) and the dashboard, which reads the telemetry service.
 */
export const outsideCallers = {
  storefront: ["product", "inventory", "cart", "order", "user", "email"],
  dashboard: ["telemetry"],
} as const satisfies Record<string, readonly (ServiceName | "telemetry")[]>;
export type StorefrontDependency = (typeof outsideCallers.storefront)[number];

/**
 * Every process that signs its calls, and so holds a key of its own; and `operator`, whoever holds
 * the stack's root secret (the bench restocking before a run): no process receives its key.
 */
export const callerNames = [
  ...serviceNames,
  "monolith",
  ...(Object.keys(outsideCallers) as (keyof typeof outsideCallers)[]),
  "operator",
] as const;
export type CallerName = (typeof callerNames)[number];

/**
 * Procedures narrower than their service's grant, by path (a key ending in "." covers every
 * procedure under it): the storefront may read stock, not hold or restock it; only order holds
 * stock and reads the outbox by key; the books are the operator's. The monolith may call what any
 * service it hosts may.
 */
export const narrowedProcedures: Partial<Record<ServiceName, Readonly<Record<string, readonly CallerName[]>>>> = {
  inventory: { "reservations.": ["order"], "stock.restock": ["operator"] },
  email: { "emails.byKey": ["order"], "outbox.": ["operator"] },
  order: { "orders.stats": ["operator"] },
  payment: { "payments.ledger": ["operator"] },
};

/**
 * Who may call a service (by the name its router is mounted under): the services that depend on
 * it, the outside callers that name it, and the monolith when anyone does (it hosts every service,
 * and a call it makes over the network is signed as itself). Default deny: an unknown name, or a
 * caller not listed, is refused; a new caller is a new `dependsOn` entry.
 */
export function allowedCallers(callee: string): string[] {
  const fromServices = serviceNames.filter((name) => (services[name].dependsOn as readonly string[]).includes(callee));
  const fromOutside = Object.entries(outsideCallers)
    .filter(([, callees]) => (callees as readonly string[]).includes(callee))
    .map(([name]) => name);
  return [...fromServices, ...(fromServices.length > 0 ? ["monolith"] : []), ...fromOutside];
}

/** Who may call one procedure of a service: its narrowing when it has one, else the service's `allowedCallers`. */
export function allowedCallersOf(callee: string, procedure: string): string[] {
  const narrowings = Object.entries(narrowedProcedures[callee as ServiceName] ?? {});
  const narrowed = narrowings.find(([key]) => (key.endsWith(".") ? procedure.startsWith(key) : procedure === key))?.[1];
  if (!narrowed) return allowedCallers(callee);
  return [...narrowed, ...(narrowed.some((caller) => (serviceNames as readonly string[]).includes(caller)) ? ["monolith"] : [])];
}

/** The packages of the processes that are not one of `services`, relative to the repository root. */
export const folders = {
  storefront: "apps/storefront",
  dashboard: "apps/dashboard",
  monolith: "apps/monolith",
  telemetry: "apps/services/telemetry",
} as const;

export const ports = {
  storefront: 3000,
  dashboard: 3001,
  /** The supervisor's control API (process list, stop, start, restart). */
  supervisor: 4000,
  /** The monolith serves every service router from one process. */
  monolith: 4100,
  telemetry: 4318,
} as const;

/** Environment variable holding the comma-separated base URLs of a service's tRPC endpoint. */
export function serviceUrlsEnvName(name: ServiceName): string {
  return `${name.toUpperCase()}_SERVICE_URLS`;
}

/**
 * Environment variable holding one service's own database URL inside the monolith, which hosts every
 * service and so cannot take one DATABASE_URL (`--db postgres`: one database per service).
 */
export function databaseUrlEnvName(name: ServiceName): string {
  return `${name.toUpperCase()}_DATABASE_URL`;
}

/** Default tRPC endpoint of a service: its own port in microservices mode (shifted by a stack's port offset). */
export function defaultServiceUrl(name: ServiceName, host = "127.0.0.1", portOffset = 0): string {
  return `http://${host}:${services[name].port + portOffset}/trpc`;
}

/** tRPC endpoint of a service mounted inside the monolith. */
export function monolithServiceUrl(name: ServiceName, host = "127.0.0.1", port: number = ports.monolith): string {
  return `http://${host}:${port}/${name}/trpc`;
}

/** Services ordered so that every service comes after the ones it depends on. */
export function startOrder(names: readonly ServiceName[] = serviceNames): ServiceName[] {
  const ordered: ServiceName[] = [];
  const visiting = new Set<ServiceName>();
  const visit = (name: ServiceName): void => {
    if (ordered.includes(name)) return;
    if (visiting.has(name)) throw new Error(`Dependency cycle through service "${name}"`);
    visiting.add(name);
    for (const dep of services[name].dependsOn) visit(dep);
    visiting.delete(name);
    ordered.push(name);
  };
  for (const name of names) visit(name);
  return ordered;
}
