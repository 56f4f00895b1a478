import "./instrumentation";
import { runService } from "@microshop/service-runtime/service";
import { paymentService } from "./service";

await runService(paymentService);
