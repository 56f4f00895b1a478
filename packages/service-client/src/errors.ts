// Reading a failed call belongs with the client; it lives in @microshop/trpc-errors only so that the
// client span (`@microshop/tracing`), which this package depends on, can read it too. Imports
// nothing Node-only.
export { downstreamCode, isOutage, isOutageCode, isTimeout, type ErrorCode } from "@microshop/trpc-errors";
