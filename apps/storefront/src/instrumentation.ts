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
  // A page is its request's server span and the calls it makes; Next.js's own dozen spans a page
  // (render, metadata, module loading) cost more than the rest and the map draws none of them.
  // `NEXT_OTEL_VERBOSE=1`, Next's switch for more of them, brings them back.
  const nextSpans = process.env.NEXT_OTEL_VERBOSE === "1";
  // Under the production server (src/front-door/main.ts) the requests' server spans are its own;
  // under `next dev` they are the HTTP instrumentation's.
  const { frontDoorSpansVariable } = await import("./front-door/spans-variable");
  const ownSpans = process.env[frontDoorSpansVariable] === "1";
  startNodeTracing({ serviceName: "storefront", quietTracers: nextSpans ? [] : ["next.js"], incomingRequests: !ownSpans });
}
