import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";

function handler(req: Request): Promise<Response> {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: ({ resHeaders }) =>
      createTRPCContext({ headers: req.headers, resHeaders }),
    onError: ({ path, error }) => {
      // Shopper mistakes (bad input, unknown product) are not worth a log line; outages and bugs are.
      if (
        error.code === "INTERNAL_SERVER_ERROR" ||
        error.code === "SERVICE_UNAVAILABLE" ||
        error.code === "GATEWAY_TIMEOUT"
      ) {
        console.error(
          `BFF ${path ?? "<no path>"} failed with ${error.code}: ${error.message}`,
        );
      }
    },
  });
}

export { handler as GET, handler as POST };
