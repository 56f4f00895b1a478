// Imported first by main.ts: tracing must be running before the code it observes is loaded.
import { startNodeTracing } from "@microshop/tracing/node";

startNodeTracing({ serviceName: "email" });
