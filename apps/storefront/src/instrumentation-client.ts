// Runs in the browser before the app: every fetch of the page becomes the first span of its trace.
import { startBrowserTracing } from "@microshop/tracing/web";

startBrowserTracing({ serviceName: "browser", exportUrl: "/api/otel/v1/traces" });
