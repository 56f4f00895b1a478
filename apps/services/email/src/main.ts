import "./instrumentation";
import { runService } from "@microshop/service-runtime/run";
import { emailService } from "./service";

await runService(emailService);
