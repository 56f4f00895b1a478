import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import type { ControlPlane } from "./control-plane";
import { controlPlaneRouter } from "./router";

/** A plane that records what it was asked and answers nothing else. */
function recordingPlane(): { plane: ControlPlane; asked: unknown[] } {
  const asked: unknown[] = [];
  const plane = new Proxy({} as ControlPlane, {
    get: (_target, method) => (input: unknown) => {
      asked.push([method, input]);
      return Promise.resolve(input ?? null);
    },
  });
  return { plane, asked };
}

describe("controlPlaneRouter", () => {
  it("hands the plane its input once parsed, defaults filled in", async () => {
    const { plane, asked } = recordingPlane();
    const caller = controlPlaneRouter.createCaller({ plane });
    await caller.deploy({ service: "cart", strategy: { kind: "canary" } });
    expect(asked).toEqual([
      ["deploy", { service: "cart", flavour: "good", strategy: { kind: "canary", weight: 10, rollbackAbove: 0.2 } }],
    ]);
  });

  it("refuses bad input before the plane sees it, with a message a person can act on", async () => {
    const { plane, asked } = recordingPlane();
    const caller = controlPlaneRouter.createCaller({ plane });
    const refused = await caller.scale({ service: "cart", replicas: 9 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).code).toBe("BAD_REQUEST");
    expect(JSON.stringify((refused as TRPCError).cause)).toContain("at most 5 replicas");
    expect(asked).toEqual([]);
  });
});
