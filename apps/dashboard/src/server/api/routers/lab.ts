import {
  canaryWeightInputSchema,
  deployInputSchema,
  faultIdInputSchema,
  faultInputSchema,
  loadSettingsSchema,
  scaleInputSchema,
  scenarioInputSchema,
  serviceInputSchema,
  type LabSnapshot,
} from "@microshop/lab";
import { TRPCError } from "@trpc/server";
import { describeOutage, fromDownstream } from "../downstream-error";
import type { ControlPlaneClient } from "../control-plane-client";
import { adminProcedure, createTRPCRouter, deadline, publicProcedure, type Context } from "../trpc";

/** What the lab's controls say when the dashboard runs without the stack's control plane. */
export const noControlPlane =
  "The lab needs the stack's control plane: start everything with `pnpm start` (it tells the dashboard where the control plane is, in CONTROL_PLANE_URL).";

/** The lab's changes wait until they are done (new replicas ready, old ones drained): a generous deadline. */
const labDeadline = (ctx: Context) => deadline(ctx.config.LAB_TIMEOUT_MS ?? ctx.config.CONTROL_TIMEOUT_MS);

/** An admin action on the control plane, refused with a reason when there is none. */
const labProcedure = adminProcedure.use(({ ctx, next }) => {
  if (!ctx.controlPlane) throw new TRPCError({ code: "PRECONDITION_FAILED", message: noControlPlane });
  return next({ ctx: { controlPlane: ctx.controlPlane } });
});

/** Runs one call on the control plane, its failures turned into our error shape. */
async function control<T>(
  ctx: Context & { controlPlane: ControlPlaneClient },
  call: (plane: ControlPlaneClient, options: { signal: AbortSignal }) => Promise<T>,
): Promise<T> {
  try {
    return await call(ctx.controlPlane, labDeadline(ctx));
  } catch (error) {
    throw fromDownstream(error, "control-plane");
  }
}

/**
 * The lab: every call of the control plane passed through (inputs checked here with the same
 * schemas, then again by the plane), changes for admins only; and the snapshot the page polls.
 */
export const labRouter = createTRPCRouter({
  /** Replicas, versions, deploys, faults, load and scenarios; `unavailable` says why there is none. */
  snapshot: publicProcedure.query(async ({ ctx }): Promise<{ snapshot: LabSnapshot | null; unavailable: string | null }> => {
    if (!ctx.controlPlane) return { snapshot: null, unavailable: noControlPlane };
    try {
      return {
        snapshot: await ctx.controlPlane.snapshot.query(undefined, deadline(ctx.config.STATUS_TIMEOUT_MS)),
        unavailable: null,
      };
    } catch (error) {
      return { snapshot: null, unavailable: describeOutage(error, "control-plane") };
    }
  }),
  scale: labProcedure
    .input(scaleInputSchema)
    .mutation(({ ctx, input }) => control(ctx, (plane, o) => plane.scale.mutate(input, o))),
  deploy: labProcedure
    .input(deployInputSchema)
    .mutation(({ ctx, input }) => control(ctx, (plane, o) => plane.deploy.mutate(input, o))),
  setCanaryWeight: labProcedure
    .input(canaryWeightInputSchema)
    .mutation(({ ctx, input }) => control(ctx, (plane, o) => plane.setCanaryWeight.mutate(input, o))),
  promote: labProcedure
    .input(serviceInputSchema)
    .mutation(({ ctx, input }) => control(ctx, (plane, o) => plane.promote.mutate(input, o))),
  rollBack: labProcedure
    .input(serviceInputSchema)
    .mutation(({ ctx, input }) => control(ctx, (plane, o) => plane.rollBack.mutate(input, o))),
  setFault: labProcedure
    .input(faultInputSchema)
    .mutation(({ ctx, input }) => control(ctx, (plane, o) => plane.setFault.mutate(input, o))),
  clearFault: labProcedure
    .input(faultIdInputSchema)
    .mutation(({ ctx, input }) => control(ctx, (plane, o) => plane.clearFault.mutate(input, o))),
  clearFaults: labProcedure.mutation(({ ctx }) => control(ctx, (plane, o) => plane.clearFaults.mutate(undefined, o))),
  applyScenario: labProcedure
    .input(scenarioInputSchema)
    .mutation(({ ctx, input }) => control(ctx, (plane, o) => plane.applyScenario.mutate(input, o))),
  clearScenario: labProcedure
    .input(scenarioInputSchema)
    .mutation(({ ctx, input }) => control(ctx, (plane, o) => plane.clearScenario.mutate(input, o))),
  startLoad: labProcedure
    .input(loadSettingsSchema)
    .mutation(({ ctx, input }) => control(ctx, (plane, o) => plane.startLoad.mutate(input, o))),
  stopLoad: labProcedure.mutation(({ ctx }) => control(ctx, (plane, o) => plane.stopLoad.mutate(undefined, o))),
});
