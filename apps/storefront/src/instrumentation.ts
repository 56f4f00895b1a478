// Next.js calls `register` once per server process before it serves anything: tracing starts here.
// The Edge runtime has no Node SDK; the storefront runs on Node only.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Before the first request: the per-client limits need each request's real peer address.
  const { installSocketAddressHeader } = await import("./server/client-address");
  installSocketAddressHeader();
  // undici's instrumentation already makes a client span for every fetch; Next's own would double it.
  process.env.NEXT_OTEL_FETCH_DISABLED = "1";
  const { startNodeTracing } = await import("@microshop/tracing/node");
  startNodeTracing({ serviceName: "storefront" });
}
