import "./instrumentation";
import { runService } from "@microshop/service-runtime/run";
import { orderService } from "./service";

await runService(orderService);
