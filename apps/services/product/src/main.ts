import "./instrumentation";
import { runService } from "@microshop/service-runtime/service";
import { productService } from "./service";

await runService(productService);
