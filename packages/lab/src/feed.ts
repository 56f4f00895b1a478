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

/** Environment variable naming the feed's URL (the control plane's `/lab` tRPC endpoint); no feed without it. */
export const LAB_FEED_URL_ENV = "LAB_FEED_URL";

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
