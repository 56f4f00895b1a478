import { seededRandom } from "@microshop/shopper/random";
import { expect, it } from "vitest";
import { labPlan } from "./lab";
import { ServiceLocks } from "./locks";

it("scales each service up, deploys it over its replicas and scales it back to one, order and payment first", () => {
  const plan = labPlan(seededRandom(7), 16);
  expect(plan.slice(0, 3).map((action) => [action.kind, action.service])).toEqual([
    ["scale", "order"],
    ["deploy", "order"],
    ["scale", "order"],
  ]);
  expect(plan[4]?.service).toBe("payment");
  for (let at = 0; at < plan.length; at += 4) {
    const [up, deploy, down, alone] = plan.slice(at, at + 4);
    expect(up?.kind === "scale" && [2, 3].includes(up.replicas)).toBe(true);
    expect(deploy).toEqual({ kind: "deploy", service: up?.service });
    expect(down).toEqual({ kind: "scale", service: up?.service, replicas: 1 });
    expect(alone).toMatchObject({ kind: "deploy" });
    expect(["inventory", "email", "user"]).toContain(alone?.service);
  }
});

it("lets one lane at a time act on a service", async () => {
  const locks = new ServiceLocks();
  expect(locks.tryTake("order")).toBe(true);
  expect(locks.tryTake("order")).toBe(false);
  expect(locks.tryTake("payment")).toBe(true);
  // Bounded: gives up at its deadline while the other lane still holds the service.
  expect(await locks.take("order", Date.now() + 150, new AbortController().signal)).toBe(false);
  setTimeout(() => locks.release("order"), 50);
  expect(await locks.take("order", Date.now() + 5_000, new AbortController().signal)).toBe(true);
});
