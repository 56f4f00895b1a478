/**
 * The control plane as a tRPC router over any `ControlPlane`: the supervisor serves it over its
 * processes, the dashboard's tests over an in-memory one, a Kubernetes controller could over its
 * cluster. The dashboard imports only its type.
 */
import { initTRPC } from "@trpc/server";
import { createErrorFormatter } from "@microshop/trpc-errors/format";
import { transformer } from "@microshop/transformer";
import {
  canaryWeightInputSchema,
  deployInputSchema,
  faultIdInputSchema,
  faultInputSchema,
  loadSettingsSchema,
  scaleInputSchema,
  scenarioInputSchema,
  serviceInputSchema,
  type ControlPlane,
} from "./control-plane";

export interface ControlPlaneContext {
  readonly plane: ControlPlane;
}

const t = initTRPC.context<ControlPlaneContext>().create({ transformer, errorFormatter: createErrorFormatter("control-plane") });
const procedure = t.procedure;

export const controlPlaneRouter = t.router({
  snapshot: procedure.query(({ ctx }) => ctx.plane.snapshot()),
  scale: procedure.input(scaleInputSchema).mutation(({ ctx, input }) => ctx.plane.scale(input)),
  deploy: procedure.input(deployInputSchema).mutation(({ ctx, input }) => ctx.plane.deploy(input)),
  setCanaryWeight: procedure.input(canaryWeightInputSchema).mutation(({ ctx, input }) => ctx.plane.setCanaryWeight(input)),
  promote: procedure.input(serviceInputSchema).mutation(({ ctx, input }) => ctx.plane.promote(input)),
  rollBack: procedure.input(serviceInputSchema).mutation(({ ctx, input }) => ctx.plane.rollBack(input)),
  setFault: procedure.input(faultInputSchema).mutation(({ ctx, input }) => ctx.plane.setFault(input)),
  clearFault: procedure.input(faultIdInputSchema).mutation(({ ctx, input }) => ctx.plane.clearFault(input)),
  clearFaults: procedure.mutation(({ ctx }) => ctx.plane.clearFaults()),
  applyScenario: procedure.input(scenarioInputSchema).mutation(({ ctx, input }) => ctx.plane.applyScenario(input)),
  clearScenario: procedure.input(scenarioInputSchema).mutation(({ ctx, input }) => ctx.plane.clearScenario(input)),
  startLoad: procedure.input(loadSettingsSchema).mutation(({ ctx, input }) => ctx.plane.startLoad(input)),
  stopLoad: procedure.mutation(({ ctx }) => ctx.plane.stopLoad()),
});

/** Import as a type only: `createTRPCClient<ControlPlaneRouter>(...)`. */
export type ControlPlaneRouter = typeof controlPlaneRouter;
