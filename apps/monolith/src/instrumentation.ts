// Imported first by main.ts: tracing must be running before the code it observes is loaded.
// One process, so one service name: in-process calls between the services inside are spans of it.
import { startServiceTracing } from "@microshop/service-runtime/tracing";

startServiceTracing("monolith");
