import { isOutageCode } from "@microshop/service-client/errors";
import { applySecurityHeaders, isHttpsRequest } from "@microshop/web-security/headers";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { env } from "~/env";
import { passFrontDoor } from "@microshop/web-security/trpc-front-door";
import { appRouter } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";

const endpoint = "/api/trpc";

async function handler(incoming: Request): Promise<Response> {
  // Forged cross-site calls and oversized bodies are refused here, before tRPC parses anything.
  const passed = await passFrontDoor(incoming, {
    router: appRouter,
    endpoint,
    maxBodyBytes: env.MAX_BODY_BYTES,
    trustedOrigins: env.TRUSTED_ORIGINS,
  });
  const response =
    passed instanceof Response
      ? passed
      : await fetchRequestHandler({
          endpoint,
          req: passed,
          router: appRouter,
          createContext: ({ resHeaders }) => createTRPCContext({ headers: passed.headers, resHeaders }),
          onError: ({ path, error }) => {
            // Shopper mistakes (bad input, unknown product) are not worth a log line; outages and bugs are.
            if (isOutageCode(error.code)) {
              console.error(`BFF ${path ?? "<no path>"} failed with ${error.code}: ${error.message}`);
            }
          },
        });
  // The proxy (src/proxy.ts) skips /api; API answers get the same headers here.
  applySecurityHeaders(response.headers, { https: isHttpsRequest(incoming) });
  return response;
}

export { handler as GET, handler as POST };
