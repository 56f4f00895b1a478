import "./instrumentation";
import { runService } from "@microshop/service-runtime/service";
import { userService } from "./service";

await runService(userService);
