import "./instrumentation";
import { runService } from "@microshop/service-runtime/service";
import { inventoryService } from "./service";

await runService(inventoryService);
