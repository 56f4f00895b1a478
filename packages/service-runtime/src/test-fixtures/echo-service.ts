import { initTRPC } from "@trpc/server";
import { z } from "zod";
import { createErrorFormatter } from "../trpc";
import { transformer } from "@microshop/transformer";
import type { ServiceInstance } from "../service";

/** A tiny router for runtime tests: an echo, a slow call, a fault, and stock paths the topology narrows. */
const t = initTRPC.context<{ replica: string }>().create({ transformer, errorFormatter: createErrorFormatter("echo") });

export const echoRouter = t.router({
  echo: t.procedure.input(z.object({ text: z.string().max(20) })).query(({ input, ctx }) => ({
    text: input.text,
    replica: ctx.replica,
    at: new Date(0),
  })),
  slow: t.procedure.input(z.object({ ms: z.number().int().min(0).max(5_000) })).mutation(async ({ input }) => {
    await new Promise((resolve) => setTimeout(resolve, input.ms));
    return { waited: input.ms };
  }),
  fail: t.procedure.mutation((): never => {
    throw new Error("the disk is full");
  }),
  // Shaped like inventory's: the topology lets the storefront read stock, only the operator restock.
  stock: t.router({
    level: t.procedure.query(() => ({ available: 3 })),
    restock: t.procedure.mutation(() => ({ available: 1_003 })),
  }),
});
export type EchoRouter = typeof echoRouter;

export function echoInstance(replica: string, options: { ready?: () => boolean } = {}) {
  let closed = false;
  const instance: ServiceInstance<{ replica: string }> = {
    createContext: () => Promise.resolve({ replica }),
    checkReady: () => (options.ready?.() === false ? Promise.reject(new Error("warming up")) : Promise.resolve()),
    close: () => {
      closed = true;
      return Promise.resolve();
    },
  };
  return { instance, isClosed: () => closed };
}
