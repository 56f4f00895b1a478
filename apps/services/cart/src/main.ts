import "./instrumentation";
import { runService } from "@microshop/service-runtime/service";
import { cartService } from "./service";

await runService(cartService);
