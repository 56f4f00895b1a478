import "./instrumentation";
import { runService } from "@microshop/service-runtime/run";
import { userService } from "./service";

await runService(userService);
