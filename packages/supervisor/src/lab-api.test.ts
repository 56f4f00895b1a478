import { rmSync } from "node:fs";
import type { FeedRouter } from "@microshop/lab/feed-router";
import { FEED_AUDIENCE } from "@microshop/lab/feed";
import type { ControlPlaneRouter } from "@microshop/lab/router";
import { credentialsOf, SERVICE_TOKEN_HEADER, serviceTokenSigner, trustedKeysFor } from "@microshop/service-auth";
import type { RunningServer } from "@microshop/service-runtime/server";
import { transformer } from "@microshop/transformer";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startControlApi } from "./control-api";
import { SupervisorControlPlane } from "./control-plane";
import type { SupervisorRouter } from "./router";
import { feedSigners } from "./stack";
import { Supervisor } from "./supervisor";
import { fakeSpec, tempDir } from "./test-fixtures/fake-stack";

// The lab's two mounts on the control API's server: the control plane behind the control token,
// the feed behind the processes' own service tokens.
const root = "a-root-secret-for-the-lab-api-test-only";
const token = "a-control-token-for-this-test-only";
let work: string;
let supervisor: Supervisor;
let plane: SupervisorControlPlane;
let api: RunningServer;

beforeAll(async () => {
  work = tempDir("lab-api");
  const product = await fakeSpec("product", work);
  const storefront = { ...(await fakeSpec("storefront", work, { dependsOn: ["product"] })), kind: "storefront" as const };
  supervisor = new Supervisor([product, storefront], { mode: "microservices", stopTimeoutMs: 2_000 });
  await supervisor.startAll();
  plane = new SupervisorControlPlane(supervisor, { logger: { info: () => undefined, warn: () => undefined } });
  api = await startControlApi(supervisor, {
    host: "127.0.0.1",
    port: 0,
    token,
    lab: { plane, feed: plane.feed, trustedKeys: trustedKeysFor(root, feedSigners) },
  });
});

afterAll(async () => {
  await api.close();
  await plane.close();
  await supervisor.stopAll();
  rmSync(work, { recursive: true, force: true });
});

/** A feed client signing as `caller` with the key derived from `secret`. */
function feedClient(caller: string, secret = root, audience = FEED_AUDIENCE) {
  const sign = serviceTokenSigner(credentialsOf(secret, caller), audience);
  return createTRPCClient<FeedRouter>({
    links: [
      httpLink({ url: `${api.url}/lab/trpc`, transformer, headers: async () => ({ [SERVICE_TOKEN_HEADER]: await sign() }) }),
    ],
  });
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  return error instanceof TRPCClientError ? (error as TRPCClientError<FeedRouter>).data?.code : `not refused: ${String(error)}`;
}

describe("the lab feed at /lab/trpc", () => {
  it("answers a process of the stack with the current feed", async () => {
    const feed = await feedClient("storefront").sync.mutate({ instance: "storefront", revision: -1, calls: [] });
    expect(feed.revision).toBe(plane.feed.revision);
    expect(feed.endpoints.product?.map((endpoint) => endpoint.instance)).toEqual(["product"]);
    expect(plane.feed.following().map((ack) => [ack.instance, ack.caller])).toEqual([["storefront", "storefront"]]);
  });

  it("refuses an unsigned report, and one signed with a key of another stack or for another audience (401)", async () => {
    const unsigned = await fetch(`${api.url}/lab/trpc/sync`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: { instance: "storefront", revision: 0, calls: [] } }),
    });
    expect(unsigned.status).toBe(401);
    expect(JSON.stringify(await unsigned.json())).toContain("The lab feed answers only the stack's own processes");
    const report = { instance: "storefront", revision: 0, calls: [] };
    expect(await codeOf(feedClient("storefront", "another-stack's-root-secret-entirely").sync.mutate(report))).toBe(
      "UNAUTHORIZED",
    );
    expect(await codeOf(feedClient("storefront", root, "product").sync.mutate(report))).toBe("UNAUTHORIZED");
  });

  it("refuses a process reporting for another one (403)", async () => {
    expect(await codeOf(feedClient("product").sync.mutate({ instance: "storefront", revision: 0, calls: [] }))).toBe("FORBIDDEN");
  });

  it("does not take the control token instead", async () => {
    const withControlToken = await fetch(`${api.url}/lab/trpc/sync`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ json: { instance: "storefront", revision: 0, calls: [] } }),
    });
    expect(withControlToken.status).toBe(401);
  });
});

describe("the control plane at /control/trpc", () => {
  it("answers with the control token, beside the processes API", async () => {
    const headers = { authorization: `Bearer ${token}` };
    const control = createTRPCClient<ControlPlaneRouter>({
      links: [httpLink({ url: `${api.url}/control/trpc`, transformer, headers })],
    });
    const snapshot = await control.snapshot.query();
    expect(snapshot.services.map((service) => [service.service, service.replicas, service.version])).toEqual([
      ["product", 1, "1.0.0"],
    ]);
    const processes = createTRPCClient<SupervisorRouter>({ links: [httpLink({ url: `${api.url}/trpc`, transformer, headers })] });
    expect((await processes.processes.list.query()).map((process) => process.name)).toEqual(["product", "storefront"]);
  });

  it("refuses a call without the control token (401)", async () => {
    const bare = await fetch(`${api.url}/control/trpc/clearFaults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(bare.status).toBe(401);
  });
});
