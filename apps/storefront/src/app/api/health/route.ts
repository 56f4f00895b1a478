/** Liveness for the supervisor: the storefront process is up and serving. It does not probe the services. */
export const dynamic = "force-dynamic";

export function GET(): Response {
  return Response.json({ status: "ok", service: "storefront" }, { headers: { "Cache-Control": "no-store" } });
}
