import "./instrumentation";
import { runService } from "@microshop/service-runtime/run";
import { cartService } from "./service";

await runService(cartService);
