import { applySecurityHeaders, isHttpsRequest } from "@microshop/web-security/headers";
import { passFrontDoor } from "@microshop/web-security/trpc-front-door";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";

// Never cached or prerendered: every answer is live, and the live stream is a long response.
export const dynamic = "force-dynamic";

const endpoint = "/api/trpc";

async function handler(incoming: Request): Promise<Response> {
  // Forged cross-site calls (stop a service from another site) and oversized bodies end here.
  const req = await passFrontDoor(incoming, { router: appRouter, endpoint, maxBodyBytes: 100_000, trustedOrigins: [] });
  const response =
    req instanceof Response
      ? req
      : await fetchRequestHandler({
          endpoint,
          req,
          router: appRouter,
          createContext: () => createTRPCContext(req),
          onError: ({ path, error }) => {
            if (error.code === "INTERNAL_SERVER_ERROR") console.error(`BFF ${path ?? "<no path>"} failed: ${error.message}`);
          },
        });
  applySecurityHeaders(response.headers, { https: isHttpsRequest(incoming) });
  return response;
}

export { handler as GET, handler as POST };
