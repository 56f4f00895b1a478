// The echo router run as a service's `main.ts` runs it, with tracing started first: the child
// process of the graceful-exit test. Listens on PORT, exports spans to OTEL_EXPORTER_OTLP_ENDPOINT.
import { startServiceTracing } from "../tracing";

startServiceTracing("echo");
const { runService } = await import("../run");
const { echoInstance, echoRouter } = await import("./echo-service");
await runService({ name: "echo", router: echoRouter, defaultPort: 0, start: () => Promise.resolve(echoInstance("a").instance) });
