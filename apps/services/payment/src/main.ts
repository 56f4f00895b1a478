import "./instrumentation";
import { runService } from "@microshop/service-runtime/run";
import { paymentService } from "./service";

await runService(paymentService);
