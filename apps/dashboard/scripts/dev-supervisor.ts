/**
 * A pretend supervisor for working on the dashboard alone:
 * `PORT=4400 pnpm dev:supervisor [monolith]`, then point SUPERVISOR_URL at it.
 */
import { startPretendSupervisor } from "../src/testing/pretend-supervisor";

const supervisor = await startPretendSupervisor({
  port: Number(process.env.PORT ?? 4400),
  mode: process.argv.includes("monolith") ? "monolith" : "microservices",
});
console.warn(`pretend supervisor on ${supervisor.url}`);
