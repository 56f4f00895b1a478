import { z } from "zod";

const serviceUrls = z
  .string()
  .trim()
  .refine(
    (value) => value.split(",").every((url) => url.trim() === "" || URL.canParse(url.trim())),
    "must be a comma-separated list of http(s) URLs",
  )
  .optional();

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** Base URLs of the product service's tRPC endpoint; several are used round-robin. */
  PRODUCT_SERVICE_URLS: serviceUrls,
  /** Base URLs of the inventory service's tRPC endpoint. */
  INVENTORY_SERVICE_URLS: serviceUrls,
  CART_SERVICE_URLS: serviceUrls,
  ORDER_SERVICE_URLS: serviceUrls,
  USER_SERVICE_URLS: serviceUrls,
  EMAIL_SERVICE_URLS: serviceUrls,
  /** Deadline for account, cart and inbox calls. */
  ACCOUNT_TIMEOUT_MS: z.coerce.number().int().positive().default(3_000),
  /** Deadline for placing an order: the saga may retry a slow card processor a few times. */
  CHECKOUT_TIMEOUT_MS: z.coerce.number().int().positive().default(20_000),
  /** Marks session cookies Secure; on by default in production behind HTTPS. */
  COOKIE_SECURE: z.enum(["true", "false"]).optional(),
  /** Largest request body the BFF reads; a bigger one is refused with 413 before it is parsed. */
  MAX_BODY_BYTES: z.coerce.number().int().min(1_000).max(10_000_000).default(100_000),
  /** Origins besides the storefront's own allowed to call its mutations (comma-separated), e.g. behind a CDN. */
  TRUSTED_ORIGINS: z
    .string()
    .trim()
    .refine(
      (value) => value.split(",").every((origin) => origin.trim() === "" || URL.canParse(origin.trim())),
      "must be a comma-separated list of origins",
    )
    .transform((value) =>
      value
        .split(",")
        .map((origin) => origin.trim().replace(/\/$/, ""))
        .filter(Boolean),
    )
    .default([]),
  /**
   * How many proxies in front of the storefront append to X-Forwarded-For and are trusted to: the
   * per-client sign-in and sign-up limits key on the address the nearest of them reports. 0 (no
   * proxy): they key on the socket's peer and X-Forwarded-For is ignored, since a client can write it.
   */
  TRUSTED_PROXY_HOPS: z.coerce.number().int("must be a whole number of proxies").min(0).max(10).default(0),
  /** Deadline for catalog calls: a page waits this long at most for the product service. */
  CATALOG_TIMEOUT_MS: z.coerce.number().int().positive().default(3_000),
  /**
   * The storefront's own key (the supervisor makes one per process): the BFF's calls are signed
   * with it as "storefront", each for the service it goes to; services answer only the system's own processes.
   */
  SERVICE_SIGNING_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, "must be a base64url Ed25519 seed of 32 bytes (the supervisor makes one)")
    .optional(),
  /** The telemetry service (OTLP/HTTP); the browser's spans are relayed there. The OTel SDK reads it too. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().default("http://127.0.0.1:4318"),
  /**
   * The product, category, home and search pages read the catalog through Next.js's cache
   * (src/server/catalog-cache.ts) and, under the production server, are kept rendered
   * (src/front-door/page-cache.ts). "off" renders them and reads the catalog per request: the
   * bench's baseline.
   */
  PAGE_CACHE: z.enum(["on", "off"]).default("on"),
  /** Memory for the kept pages of the page cache, all together (MiB). */
  PAGE_CACHE_MAX_MB: z.coerce.number().int().min(1).max(1_024).default(32),
  /** How long a cached catalog entry is served before it is fetched again in the background. */
  CATALOG_CACHE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** Deadline for stock calls: short, because a missing stock badge must not hold up a page. */
  STOCK_TIMEOUT_MS: z.coerce.number().int().positive().default(800),
  /**
   * The lab feed (the supervisor's `/lab/trpc`): the server process follows it for where services
   * answer and the faults to apply to its calls. Without it, nothing of the lab applies.
   */
  LAB_FEED_URL: z.url("must be the URL of the lab feed's tRPC endpoint").optional(),
  /** This server process in its feed reports (and its spans' `service.instance.id`). Default `storefront`. */
  SERVICE_INSTANCE_ID: z.string().trim().min(1).max(64).optional(),
});

export type Env = z.infer<typeof envSchema>;

/** Validates the environment; a bad value stops the storefront at start-up with a readable list. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    throw new Error(`Invalid storefront environment:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}

export const env: Env = parseEnv(process.env);
