// A tiny tRPC service for the client's tests, served by tRPC's own standalone adapter: the client is
// tested against the protocol, not against our runtime (which depends on this package).
import type { AddressInfo } from "node:net";
import { initTRPC } from "@trpc/server";
import { createHTTPServer } from "@trpc/server/adapters/standalone";
import { transformer } from "@microshop/transformer";
import { z } from "zod";

const t = initTRPC.context<{ replica: string }>().create({
  transformer,
  errorFormatter: ({ shape }) => ({ ...shape, data: { ...shape.data, service: "echo" } }),
});

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
});
export type EchoRouter = typeof echoRouter;

export interface EchoServer {
  /** Base URL of its tRPC endpoint. */
  readonly url: string;
  close(): Promise<void>;
}

/** Serves `echoRouter` on 127.0.0.1 at a free port, answering as `replica`, queries sent as POST too. */
export async function startEchoServer(replica: string): Promise<EchoServer> {
  const server = createHTTPServer({
    router: echoRouter,
    basePath: "/trpc/",
    allowMethodOverride: true,
    createContext: () => ({ replica }),
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/trpc`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
