import { TRPCError } from "@trpc/server";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { bffCaller, closedPort, fakeService, useFakeService } from "../testing/fakes";

let stopFake: (() => void) | undefined;
afterEach(() => {
  stopFake?.();
  stopFake = undefined;
});

const kettle = {
  id: "prod_enamel-kettle",
  slug: "enamel-kettle",
  name: "Enamel Kettle",
  description: "A kettle.",
  priceMinor: 4900,
  currency: "USD",
  images: ["/images/products/enamel-kettle.svg"],
  attributes: { colour: "Sage" },
  category: { slug: "kitchen", name: "Kitchen" },
};

const fakeProduct = fakeService.router({
  catalog: fakeService.router({
    bySlug: fakeService.procedure.input(z.object({ slug: z.string() })).query(({ input }) => {
      if (input.slug === kettle.slug) return kettle;
      throw new TRPCError({
        code: "NOT_FOUND",
        message: `No product called "${input.slug}"`,
      });
    }),
    categories: fakeService.procedure.query((): never => {
      throw new Error("database file is locked");
    }),
  }),
});

async function codeAndMessage(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(error)}`);
  return { code: error.code, message: error.message };
}

describe("catalog router", () => {
  it("passes a product through", async () => {
    stopFake = useFakeService("product", fakeProduct);
    expect(await bffCaller().catalog.bySlug({ slug: "enamel-kettle" })).toEqual(kettle);
  });

  it("keeps NOT_FOUND as NOT_FOUND, with the service's message", async () => {
    stopFake = useFakeService("product", fakeProduct);
    expect(await codeAndMessage(bffCaller().catalog.bySlug({ slug: "no-such-thing" }))).toEqual({
      code: "NOT_FOUND",
      message: 'No product called "no-such-thing"',
    });
  });

  it("hides a downstream crash behind a message for shoppers", async () => {
    stopFake = useFakeService("product", fakeProduct);
    const { code, message } = await codeAndMessage(bffCaller().catalog.categories());
    expect(code).toBe("SERVICE_UNAVAILABLE");
    expect(message).toBe("The catalog is unavailable right now. Please try again in a moment.");
    expect(message).not.toContain("locked");
  });

  it("reports a product service that is not listening as SERVICE_UNAVAILABLE", async () => {
    const port = await closedPort();
    const caller = bffCaller({
      PRODUCT_SERVICE_URLS: `http://127.0.0.1:${port}/trpc`,
    });
    expect(await codeAndMessage(caller.catalog.bySlug({ slug: "enamel-kettle" }))).toEqual({
      code: "SERVICE_UNAVAILABLE",
      message: "The catalog is unavailable right now. Please try again in a moment.",
    });
  });

  it("reports a product service that misses its deadline as GATEWAY_TIMEOUT", async () => {
    const hanging = fakeService.router({
      catalog: fakeService.router({
        categories: fakeService.procedure.query(() => new Promise<never>(() => undefined)),
      }),
    });
    stopFake = useFakeService("product", hanging);
    const { code } = await codeAndMessage(bffCaller({ CATALOG_TIMEOUT_MS: "50" }).catalog.categories());
    expect(code).toBe("GATEWAY_TIMEOUT");
  });

  it("validates input before calling the service", async () => {
    const { code } = await codeAndMessage(bffCaller().catalog.search({ pageSize: 500 }));
    expect(code).toBe("BAD_REQUEST");
  });
});
