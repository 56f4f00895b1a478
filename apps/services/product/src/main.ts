import "./instrumentation";
import { runService } from "@microshop/service-runtime/run";
import { productService } from "./service";

await runService(productService);
