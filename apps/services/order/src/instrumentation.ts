// Imported first by main.ts: tracing must be running before the code it observes is loaded.
import { startServiceTracing } from "@microshop/service-runtime/tracing";

startServiceTracing("order");
