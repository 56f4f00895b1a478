import { runService } from "@microshop/service-runtime/run";
import { telemetryService } from "./service";

await runService(telemetryService);
