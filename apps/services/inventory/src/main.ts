import "./instrumentation";
import { runService } from "@microshop/service-runtime/run";
import { inventoryService } from "./service";

await runService(inventoryService);
