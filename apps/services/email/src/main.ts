import "./instrumentation";
import { runService } from "@microshop/service-runtime/service";
import { emailService } from "./service";

await runService(emailService);
