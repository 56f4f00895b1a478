import { expect, test } from "../support/fixtures";
import {
  chipRate,
  controlPlane,
  loadTotals,
  openDashboard,
  openNodePanel,
  replicaChips,
  resetLab,
  serviceNode,
  startLoadFromTheBar,
  versionsOf,
  literally,
} from "../support/lab";
import { supervisor } from "../support/stack";

// The learner's experiments on a microservices stack, driven from the dashboard in a real browser
// while the load generator runs. (Scaling and deploying one service alone has no meaning in the
// monolith: playwright.config.ts runs this file in microservices mode only.)

test.afterEach(resetLab);

test("scale product to three from the map: three replicas, each taking traffic", async ({ page }) => {
  await openDashboard(page);
  await startLoadFromTheBar(page);
  const more = serviceNode(page, "product").getByRole("button", { name: /^One replica more of product/ });
  for (const replicas of [2, 3]) {
    await more.click();
    await expect(replicaChips(page, "product")).toHaveCount(replicas, { timeout: 30_000 });
  }
  // Each process has its own port and pid, and the callers spread their calls across all three.
  const instances = (await controlPlane.snapshot.query()).services.find((view) => view.service === "product")!.instances;
  expect(new Set(instances.map((instance) => instance.pid)).size).toBe(3);
  expect(new Set(instances.map((instance) => instance.url)).size).toBe(3);
  for (const chip of await replicaChips(page, "product").all()) {
    const words = (await chip.getAttribute("aria-label")) ?? "";
    await expect.poll(() => chipRate(chip), { timeout: 30_000, message: words }).toBeGreaterThan(0);
    // The live dots arrive at each of the three: the chip of the replica that served one flashes.
    await expect
      .poll(async () => Number((await chip.getAttribute("data-arrivals")) ?? 0), { timeout: 30_000, message: words })
      .toBeGreaterThan(0);
  }
});

test("scale product down from three to one under load: no journey fails", async ({ page }) => {
  await controlPlane.scale.mutate({ service: "product", replicas: 3 });
  await openDashboard(page);
  await startLoadFromTheBar(page);
  await expect(replicaChips(page, "product")).toHaveCount(3);
  const before = await loadTotals();
  const fewer = serviceNode(page, "product").getByRole("button", { name: /^One replica fewer of product/ });
  for (const replicas of [2, 1]) {
    await fewer.click();
    await expect(replicaChips(page, "product")).toHaveCount(replicas, { timeout: 30_000 });
  }
  // Journeys kept finishing through the scale-down, and every one of them succeeded.
  await expect.poll(async () => (await loadTotals()).finished, { timeout: 30_000 }).toBeGreaterThan(before.finished + 10);
  const after = await loadTotals();
  expect(after.failed - before.failed, after.errors.join("\n")).toBe(0);
});

test("a rolling deploy of cart under load fails no call, and every other process keeps its pid", async ({ page }) => {
  await openDashboard(page);
  await startLoadFromTheBar(page);
  const othersBefore = (await supervisor.processes.list.query()).filter((process) => process.service !== "cart");
  const { current, next } = await versionsOf("cart");
  const panel = await openNodePanel(page, "cart");
  await panel.getByRole("button", { name: `Deploy cart ${next}` }).click();
  // The history line the learner reads: "cart 1.0.0 → 1.1.0, rolling: 0 failed of 1,240, 4.1 s".
  const line = new RegExp(`^cart ${literally(current)} → ${literally(next)}, rolling: 0 failed of [\\d,]+, [\\d.]+ (s|ms)$`);
  await expect(panel.getByText(line)).toBeVisible({ timeout: 60_000 });
  const [deployment] = (await controlPlane.snapshot.query()).deployments;
  expect(deployment).toMatchObject({ service: "cart", state: "done", calls: { failed: 0 } });
  expect(deployment!.calls.ok).toBeGreaterThan(0);
  await expect(replicaChips(page, "cart")).toHaveCount(1);
  await expect(replicaChips(page, "cart").first()).toHaveAttribute("aria-label", new RegExp(`version ${literally(next)}`));
  const othersAfter = (await supervisor.processes.list.query()).filter((process) => process.service !== "cart");
  expect(othersAfter.map(({ name, pid }) => ({ name, pid }))).toEqual(othersBefore.map(({ name, pid }) => ({ name, pid })));
});

test("a 50 % canary of product shows both versions taking traffic, and rolls back by hand", async ({ page }) => {
  await openDashboard(page);
  await startLoadFromTheBar(page);
  const { current, next } = await versionsOf("product");
  const panel = await openNodePanel(page, "product");
  const form = panel.getByRole("form", { name: "Deploy a new version of product" });
  await form.getByRole("radio", { name: "Canary" }).check();
  await form.getByRole("slider", { name: /Canary weight/ }).fill("50");
  await form.getByRole("button", { name: `Deploy product ${next}` }).click();
  await expect(replicaChips(page, "product")).toHaveCount(2, { timeout: 30_000 });
  const chips = replicaChips(page, "product");
  await expect(chips.and(page.locator(`[aria-label*='version ${current},']`))).toHaveCount(1);
  await expect(chips.and(page.locator(`[aria-label*='version ${next},']`))).toHaveCount(1);
  for (const chip of await chips.all()) await expect.poll(() => chipRate(chip), { timeout: 30_000 }).toBeGreaterThan(0);
  // Particles are coloured by version while two run; the legend says which is which.
  await expect(page.getByRole("group", { name: "Legend" }).getByText("newer version")).toBeVisible();
  await panel.getByRole("button", { name: "Roll back" }).click();
  await expect
    .poll(async () => (await controlPlane.snapshot.query()).deployments[0]?.state, { timeout: 30_000 })
    .toBe("rolled-back");
  await expect(replicaChips(page, "product")).toHaveCount(1, { timeout: 30_000 });
  await expect(replicaChips(page, "product").first()).toHaveAttribute("aria-label", new RegExp(`version ${literally(current)},`));
});

test("a canary of a bad build of cart rolls back by itself once its error rate passes the threshold", async ({ page }) => {
  await openDashboard(page);
  await startLoadFromTheBar(page);
  const { current, next } = await versionsOf("cart");
  const panel = await openNodePanel(page, "cart");
  const form = panel.getByRole("form", { name: "Deploy a new version of cart" });
  await form.getByRole("combobox", { name: "It does" }).selectOption("errors");
  await form.getByRole("radio", { name: "Canary" }).check();
  await form.getByRole("slider", { name: /Canary weight/ }).fill("50");
  await form.getByRole("button", { name: `Deploy cart ${next}` }).click();
  await expect(panel.getByText(/rolled back: error rate \d+ % above 20 %/)).toBeVisible({ timeout: 60_000 });
  await expect(replicaChips(page, "cart")).toHaveCount(1);
  await expect(replicaChips(page, "cart").first()).toHaveAttribute("aria-label", new RegExp(`version ${literally(current)},`));
  expect((await controlPlane.snapshot.query()).deployments[0]).toMatchObject({ service: "cart", state: "rolled-back" });
});
