// The BFF's clients in the lab: one agent per server process follows the feed, and its faults act
// on the BFF's calls, as the storefront's (edge faults name it `storefront`).
import { faultOf } from "@microshop/lab/faults";
import { deriveSigningKey, trustedKeysFor } from "@microshop/service-auth";
import { downstreamCode } from "@microshop/service-client/errors";
import { FEED_PATH, labFeedMount } from "@microshop/service-runtime/lab-feed";
import { createLogger } from "@microshop/service-runtime/logger";
import { startServer, type RunningServer } from "@microshop/service-runtime/server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parseEnv } from "~/env";
import { processServiceClients } from "./services";
import { closedPort } from "./testing/fakes";

const root = "a-stack-root-secret-of-at-least-32-characters";

const callers: string[] = [];
let feed: RunningServer;

beforeAll(async () => {
  feed = await startServer({
    name: "supervisor",
    host: "127.0.0.1",
    port: 0,
    logger: createLogger("storefront-lab-test", "silent"),
    mounts: [
      labFeedMount({
        source: {
          sync: (report) => {
            callers.push(report.instance);
            return {
              revision: 1,
              endpoints: {},
              faults: [faultOf({ target: { kind: "edge", caller: "storefront", callee: "product" }, errorRate: 1 }, "edge-1")],
            };
          },
        },
        trustedKeys: trustedKeysFor(root, ["storefront"]),
      }),
    ],
  });
});

afterAll(async () => {
  await feed?.close();
});

it("follows the lab feed from its first clients, and the feed's faults act on the BFF's calls", async () => {
  const clients = processServiceClients(
    parseEnv({
      LAB_FEED_URL: `${feed.url}${FEED_PATH}`,
      SERVICE_INSTANCE_ID: "storefront-1",
      SERVICE_SIGNING_KEY: deriveSigningKey(root, "storefront"),
      // Nothing listens there: before the feed's fault applies, a call is refused (no code).
      PRODUCT_SERVICE_URLS: `http://127.0.0.1:${await closedPort()}/trpc`,
    }),
  );
  await expect
    .poll(() => clients.product.catalog.featured.query({ limit: 4 }).then(() => "answered", downstreamCode), {
      timeout: 15_000,
    })
    .toBe("SERVICE_UNAVAILABLE");
  expect(callers).toContain("storefront-1");
});
