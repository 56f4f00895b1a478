import "./instrumentation";
import { runService } from "@microshop/service-runtime/service";
import { orderService } from "./service";

await runService(orderService);
