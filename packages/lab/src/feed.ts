/**
 * The lab feed: what every process of a stack follows while it runs, the way a Kubernetes client
 * watches EndpointSlices. Each process (a service, the monolith, the storefront) posts a report to
 * the control plane's feed about twice a second and gets the current feed back: where each service
 * is answering now (its replicas, their versions and weights), and the faults in force. The report
 * says which revision the process has applied and how its calls went, so the control plane knows
 * when every caller has stopped sending to a replica (then it can drain it) and how a canary fares.
 */
import { z } from "zod";
import { faultSchema, serviceNameSchema } from "./faults";

/** How often a process asks; callers pick up a change within a second. */
export const FEED_INTERVAL_MS = 400;

/**
 * What the control plane hands each process it starts, besides its own configuration. Without
 * `LAB_FEED_URL` a process follows no feed (a service under test, a process run by hand).
 */
export const labEnv = {
  /** The feed's tRPC endpoint (the supervisor's `/lab/trpc`). */
  feedUrl: "LAB_FEED_URL",
  /** This process, e.g. `product-2`; also its spans' `service.instance.id`. */
  instance: "SERVICE_INSTANCE_ID",
  /** Its version, e.g. `1.1.0`; also its spans' `service.version`. Default `1.0.0`. */
  version: "SERVICE_VERSION",
  /** What this version does (`good`, `errors`, `breaking`: see `versionFlavours`). Default `good`. */
  flavour: "SERVICE_FLAVOUR",
} as const;

/** The audience of a process's signed feed reports (`@microshop/service-auth` tokens name their callee). */
export const FEED_AUDIENCE = "supervisor";

/** One replica a caller may send to. */
export const endpointSchema = z.object({
  /** Base URL of its tRPC endpoint. */
  url: z.url(),
  /** The process, e.g. `product-2`; the same as its spans' `service.instance.id`. */
  instance: z.string().min(1),
  version: z.string().min(1),
  /** Its share of the calls, relative to the others' (a canary at 20 % weighs 20 against 80). */
  weight: z.number().min(0).max(100),
});
export type Endpoint = z.infer<typeof endpointSchema>;

export const labFeedSchema = z.object({
  /** Grows with every change; a process reports the one it has applied. */
  revision: z.number().int().min(0),
  /** Services missing here keep the addresses the process started with. */
  endpoints: z.partialRecord(serviceNameSchema, z.array(endpointSchema)),
  faults: z.array(faultSchema),
});
export type LabFeed = z.infer<typeof labFeedSchema>;

/** How one process's calls to one endpoint went since its last report. */
export const callTallySchema = z.object({
  callee: serviceNameSchema,
  instance: z.string().min(1),
  ok: z.number().int().min(0),
  failed: z.number().int().min(0),
});
export type CallTally = z.infer<typeof callTallySchema>;

export const feedReportSchema = z.object({
  /** The reporting process (`cart-2`, `storefront`, `monolith`). */
  instance: z.string().min(1).max(64),
  /** The feed revision whose endpoints and faults it now uses; -1 before the first. */
  revision: z.number().int().min(-1),
  calls: z.array(callTallySchema).max(1_000),
});
export type FeedReport = z.infer<typeof feedReportSchema>;

/**
 * Whoever serves the feed (the supervisor). `caller` is the identity the report was signed as,
 * checked before this is called; `instance` in the report says which of its processes it is.
 */
export interface FeedSource {
  sync(report: FeedReport, caller: string): Promise<LabFeed> | LabFeed;
}
