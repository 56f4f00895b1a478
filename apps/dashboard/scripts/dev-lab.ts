/**
 * Everything the dashboard's lab needs, pretended, for working on its UI without the stack:
 * `PORT=4400 pnpm dev:lab` starts the real telemetry service (4418), a pretend supervisor (4400)
 * and a pretend control plane (4401, served with the real router), and feeds the telemetry
 * service shop traffic shaped by the plane (replicas, versions, faults, load). Then:
 * TELEMETRY_URL=http://127.0.0.1:4418/trpc SUPERVISOR_URL=http://127.0.0.1:4400/trpc
 * CONTROL_PLANE_URL=http://127.0.0.1:4401/control/trpc PORT=3101 pnpm dev
 */
import { syntheticTrace, toOtlpJson } from "@microshop/otlp-fixtures";
import { shapeForLab } from "../src/testing/lab-traffic";
import { startPretendControlPlane } from "../src/testing/pretend-control-plane";
import { startPretendSupervisor } from "../src/testing/pretend-supervisor";
import { startTelemetry } from "../src/testing/telemetry-server";

const base = Number(process.env.PORT ?? 4400);
const telemetry = await startTelemetry({ port: base + 18 });
const supervisor = await startPretendSupervisor({ port: base });
const control = await startPretendControlPlane({ port: base + 1, tickMs: 250, delayMs: 1_200 });
console.warn(`telemetry ${telemetry.url}\nsupervisor ${supervisor.url}\ncontrol plane ${control.url}`);

/** Shopper traces a second, beside whatever the load generator runs. */
const shoppersPerSecond = Number(process.env.SHOPPERS ?? 6);
const tickMs = 100;
let shopperBudget = 0;
let loadBudget = 0;

async function post(traces: ReturnType<typeof syntheticTrace>[], synthetic: boolean): Promise<void> {
  if (traces.length === 0) return;
  const snapshot = await control.plane.snapshot();
  const body = shapeForLab(toOtlpJson(traces.map((spans) => ({ spans, endMs: Date.now() - Math.random() * tickMs }))), snapshot, {
    synthetic,
  });
  await fetch(telemetry.otlpUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  }).then(
    (response) => response.arrayBuffer(),
    () => undefined,
  );
}

const timer = setInterval(() => {
  void control.plane.snapshot().then(async (snapshot) => {
    shopperBudget += (shoppersPerSecond * tickMs) / 1_000;
    loadBudget += snapshot.load.running ? (snapshot.load.settings.rate * tickMs) / 1_000 : 0;
    const take = (budget: number) => Array.from({ length: Math.floor(budget) }, () => syntheticTrace(0.05));
    const shoppers = take(shopperBudget);
    const load = take(loadBudget);
    shopperBudget -= shoppers.length;
    loadBudget -= load.length;
    await Promise.all([post(shoppers, false), post(load, true)]);
  });
}, tickMs);

const stop = () => {
  clearInterval(timer);
  void Promise.all([telemetry.close(), supervisor.close(), control.close()]).then(() => process.exit(0));
};
process.once("SIGINT", stop).once("SIGTERM", stop);
