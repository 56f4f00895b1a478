import { runService } from "@microshop/service-runtime/service";
import { telemetryService } from "./service";

await runService(telemetryService);
