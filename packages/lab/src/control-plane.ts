/**
 * The control plane: the one interface the dashboard speaks to run experiments on a stack. The
 * supervisor implements it on one machine (processes and ports); a Kubernetes implementation
 * (Deployments, a mesh's fault injection) can implement the same interface without a change to the
 * dashboard. Inputs are zod schemas, so every implementation refuses the same bad input the same way.
 */
import { z } from "zod";
import { faultInputSchema, serviceNameSchema, type Fault, type FaultInput } from "./faults";
import { loadSettingsSchema, type LoadSettingsInput, type LoadStatus } from "./load";
import { MAX_REPLICAS, versionFlavours, type VersionFlavour } from "./values";

export { MAX_REPLICAS, versionFlavours, type VersionFlavour };

export const scaleInputSchema = z.object({
  service: serviceNameSchema,
  replicas: z
    .number()
    .int()
    .min(1, "at least one replica (stop the service to have none)")
    .max(MAX_REPLICAS, `at most ${MAX_REPLICAS} replicas`),
});
export type ScaleInput = z.infer<typeof scaleInputSchema>;

export const deployInputSchema = z.object({
  service: serviceNameSchema,
  /** Defaults to the next minor version of what runs now. */
  version: z
    .string()
    .regex(/^\d+\.\d+\.\d+(-[a-z0-9.]+)?$/, "a version looks like 1.1.0")
    .optional(),
  flavour: z.enum(versionFlavours).default("good"),
  strategy: z.discriminatedUnion("kind", [
    /** One replica at a time: start a new one, wait until ready, send it traffic, drain and stop an old one. */
    z.object({ kind: z.literal("rolling") }),
    /** One new replica beside the old ones, taking `weight` % of the calls until promoted or rolled back. */
    z.object({
      kind: z.literal("canary"),
      weight: z.number().int().min(1).max(99).default(10),
      /** Roll back by itself when the canary's error rate over its last calls passes this (0 to 1). */
      rollbackAbove: z.number().min(0.01).max(1).default(0.2),
    }),
  ]),
});
export type DeployInput = z.input<typeof deployInputSchema>;

export const canaryWeightInputSchema = z.object({ service: serviceNameSchema, weight: z.number().int().min(1).max(99) });
export const serviceInputSchema = z.object({ service: serviceNameSchema });
export const faultIdInputSchema = z.object({ id: z.string().min(1).max(64) });
export { faultInputSchema, loadSettingsSchema };

export const scenarioNames = ["slow-payments", "flaky-inventory", "email-down", "black-friday"] as const;
export type ScenarioName = (typeof scenarioNames)[number];
export const scenarioInputSchema = z.object({ name: z.enum(scenarioNames) });

export type DeploymentState = "rolling" | "canary" | "done" | "rolled-back" | "failed";

/** One deploy of one service, while it runs and after. */
export interface Deployment {
  readonly id: string;
  readonly service: string;
  readonly strategy: "rolling" | "canary";
  readonly from: string;
  readonly to: string;
  readonly flavour: VersionFlavour;
  readonly state: DeploymentState;
  /** The canary's share of calls, in percent (rolling: the new version's share of replicas). */
  readonly weight: number;
  readonly startedAt: number;
  readonly finishedAt: number | null;
  /** Calls to this service during the deploy, as its callers reported them. */
  readonly calls: { readonly ok: number; readonly failed: number };
  /** The new version's own calls and error rate (what the canary is judged by). */
  readonly canary: { readonly ok: number; readonly failed: number; readonly errorRate: number | null };
  /** Why it ended so: "promoted", "rolled back by hand", "error rate 43 % above 20 %", a start failure. */
  readonly reason: string | null;
}

/** One running copy of a service. */
export interface Instance {
  /** Its process name, e.g. `product-2`: its spans' `service.instance.id`. */
  readonly name: string;
  readonly service: string;
  readonly replica: number;
  readonly version: string;
  readonly state: "starting" | "ready" | "draining" | "stopping" | "stopped" | "crashed" | "backoff";
  readonly pid: number | null;
  readonly url: string;
  /** Its share of the service's calls now, in percent. */
  readonly weight: number;
}

export interface ServiceView {
  readonly service: string;
  /** False in the monolith: the service runs inside it and is neither scaled nor deployed alone. */
  readonly ownProcess: boolean;
  readonly replicas: number;
  readonly instances: readonly Instance[];
  readonly version: string;
  readonly deployment: Deployment | null;
}

export interface LabSnapshot {
  readonly mode: "microservices" | "monolith";
  readonly services: readonly ServiceView[];
  readonly faults: readonly Fault[];
  /** The last deploys, newest first. */
  readonly deployments: readonly Deployment[];
  readonly load: LoadStatus;
  readonly scenarios: readonly { readonly name: ScenarioName; readonly title: string; readonly active: boolean }[];
}

/**
 * Every implementation answers each call once the change has taken effect (a scale once the new
 * replicas are ready and every caller sends to them, or the old ones are drained and stopped).
 * Errors are TRPCErrors with messages a person can act on.
 */
export interface ControlPlane {
  snapshot(): Promise<LabSnapshot>;
  scale(input: ScaleInput): Promise<ServiceView>;
  deploy(input: DeployInput): Promise<Deployment>;
  setCanaryWeight(input: z.infer<typeof canaryWeightInputSchema>): Promise<Deployment>;
  /** Makes the canary the only version (rolling the rest over). */
  promote(input: z.infer<typeof serviceInputSchema>): Promise<Deployment>;
  /** Back to the version before the current or last deploy. */
  rollBack(input: z.infer<typeof serviceInputSchema>): Promise<Deployment>;
  setFault(input: FaultInput): Promise<Fault>;
  clearFault(input: z.infer<typeof faultIdInputSchema>): Promise<readonly Fault[]>;
  clearFaults(): Promise<readonly Fault[]>;
  /** Sets a scenario's faults (and its load, if it has one) beside what is already set. */
  applyScenario(input: z.infer<typeof scenarioInputSchema>): Promise<LabSnapshot>;
  clearScenario(input: z.infer<typeof scenarioInputSchema>): Promise<LabSnapshot>;
  startLoad(input: LoadSettingsInput): Promise<LoadStatus>;
  stopLoad(): Promise<LoadStatus>;
}
