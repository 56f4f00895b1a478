import type { ControlPlaneRouter } from "@microshop/lab/router";
import { serviceNames } from "@microshop/topology";
import { deriveControlToken } from "@microshop/service-auth";
import { downstreamCode } from "@microshop/service-client/errors";
import { createTRPCClient, httpLink } from "@trpc/client";
import { transformer } from "@microshop/transformer";
import type { Locator, Page } from "@playwright/test";
import { expect } from "./fixtures";
import { dashboardUrl, serviceTokenSecret, stackMode, supervisorUrl } from "./stack";

/** The stack's control plane, as the dashboard speaks to it (the tests read it to check what the page says). */
export const controlPlane = createTRPCClient<ControlPlaneRouter>({
  links: [
    httpLink({
      url: `${supervisorUrl}/control/trpc`,
      transformer,
      headers: { authorization: `Bearer ${deriveControlToken(serviceTokenSecret)}` },
    }),
  ],
});

/** Runs a change once the service is free: one change at a time per service, the others answer CONFLICT meanwhile. */
async function whenFree<T>(change: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return await change();
    } catch (error) {
      if (downstreamCode(error) !== "CONFLICT" || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** Back to the stack as it started: no load, no faults, one replica of every service. */
export async function resetLab(): Promise<void> {
  await controlPlane.stopLoad.mutate();
  await controlPlane.clearFaults.mutate();
  if (stackMode !== "microservices") return;
  const snapshot = await controlPlane.snapshot.query();
  for (const view of snapshot.services) {
    if (view.deployment?.state === "canary")
      await whenFree(() => controlPlane.rollBack.mutate({ service: view.service as "cart" }));
  }
  for (const name of serviceNames) await whenFree(() => controlPlane.scale.mutate({ service: name, replicas: 1 }));
}

export async function openDashboard(page: Page): Promise<void> {
  await page.goto(dashboardUrl);
  await expect(page.getByTestId("lab-bar")).toBeVisible();
}

export const serviceNode = (dashboard: Page, service: string): Locator => dashboard.getByTestId(`service-node-${service}`);

/** The replica chips of a service's node, one per process. */
export const replicaChips = (dashboard: Page, service: string): Locator =>
  serviceNode(dashboard, service).getByRole("list", { name: "Replicas" }).getByRole("listitem");

/** The requests a second a chip says its replica took over the last 10 s. */
export async function chipRate(chip: Locator): Promise<number> {
  const words = (await chip.getAttribute("aria-label")) ?? "";
  const rate = /([\d.,]+) requests a second/.exec(words)?.[1];
  return rate ? Number(rate.replace(",", "")) : 0;
}

/** Starts the load generator from the lab bar and waits until it reports journeys. */
export async function startLoadFromTheBar(dashboard: Page): Promise<void> {
  const bar = dashboard.getByTestId("lab-bar");
  await bar.getByRole("button", { name: "Start load" }).click();
  await expect(bar.getByRole("button", { name: "Stop load" })).toBeVisible();
  await expect.poll(async () => (await controlPlane.snapshot.query()).load.total.started, { timeout: 20_000 }).toBeGreaterThan(0);
}

/** The load's finished journeys so far, and how many failed, with the last failures to explain a count. */
export async function loadTotals(): Promise<{ finished: number; failed: number; errors: readonly string[] }> {
  const { load } = await controlPlane.snapshot.query();
  return {
    finished: load.total.succeeded + load.total.failed,
    failed: load.total.failed,
    errors: (load.recentErrors ?? []).map((error) => `${error.journey}: ${error.message}`),
  };
}

/** Opens a service's side panel by clicking its node on the map. */
export async function openNodePanel(dashboard: Page, service: string): Promise<Locator> {
  await serviceNode(dashboard, service).getByText(service, { exact: true }).click();
  const panel = dashboard.getByTestId("node-panel");
  await expect(panel.getByRole("heading", { name: service, exact: true })).toBeVisible();
  return panel;
}

/** The version a service runs now, and the one a deploy makes by default (the next minor). */
export async function versionsOf(service: string): Promise<{ current: string; next: string }> {
  const view = (await controlPlane.snapshot.query()).services.find((candidate) => candidate.service === service);
  if (!view) throw new Error(`The control plane knows no service ${service}`);
  const [major = 1, minor = 0] = view.version.split(".").map(Number);
  return { current: view.version, next: `${major}.${minor + 1}.0` };
}

/** "1.1.0" as it appears inside a regular expression. */
export const literally = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
