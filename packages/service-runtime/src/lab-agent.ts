/**
 * The lab agent: how a process follows the lab feed, the way a Kubernetes client watches
 * EndpointSlices. Every `FEED_INTERVAL_MS` it posts a report (the feed revision it has applied,
 * how its calls went since the last report) to the feed's `sync`, signed for `FEED_AUDIENCE`, and
 * applies the answer: each service's endpoints go to the resolver (services absent keep theirs),
 * the faults replace the ones before. It never takes its process down: a feed that is away is
 * logged once and asked again, and the last faults and endpoints it gave stay in force meanwhile.
 * Its own calls are not traced: a report twice a second would bury the shop's requests on the map.
 */
import { createTRPCClient, httpLink } from "@trpc/client";
import { FEED_AUDIENCE, FEED_INTERVAL_MS, labFeedSchema, type LabFeed } from "@microshop/lab/feed";
import type { Fault } from "@microshop/lab/faults";
import type { FeedRouter } from "@microshop/lab/feed-router";
import { SERVICE_TOKEN_HEADER, serviceTokenSigner, type ProcessCredentials } from "@microshop/service-auth";
import type { ServiceResolver } from "@microshop/service-client/resolver";
import type { CallTallies } from "@microshop/service-client/tallies";
import type { ServiceName } from "@microshop/topology";
import { untraced } from "@microshop/tracing/background";
import { transformer } from "@microshop/transformer";

/** The feed's report holds at most this many tallies; the rest wait for the next one. */
const MAX_TALLIES = 1_000;

/** What the agent logs through: a pino logger, or anything with these two. */
export interface AgentLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface LabAgentOptions {
  /** `LAB_FEED_URL`: the feed's tRPC endpoint (the supervisor's `/lab/trpc`). */
  readonly feedUrl: string;
  /** `SERVICE_INSTANCE_ID`, or `monolith`, `storefront`: who reports. */
  readonly instance: string;
  /** Whom the reports are signed as; unsigned without (a feed that checks refuses them). */
  readonly credentials?: ProcessCredentials;
  /** Where the feed's endpoints go. */
  readonly resolver: ServiceResolver;
  /** The process's call counts, taken at every report. */
  readonly tallies: CallTallies;
  readonly logger: AgentLogger;
  /** Default `FEED_INTERVAL_MS`. */
  readonly intervalMs?: number;
  /** How long one report may take before it counts as failed. Default 2 s. */
  readonly requestTimeoutMs?: number;
}

export interface LabAgent {
  /** The faults in force, as the feed last said. */
  readonly faults: () => readonly Fault[];
  /** The feed revision applied; -1 before the first answer. */
  readonly revision: number;
  /** Stops following the feed; what it applied stays. */
  stop(): Promise<void>;
}

export function startLabAgent(options: LabAgentOptions): LabAgent {
  const { resolver, tallies, logger, instance } = options;
  const intervalMs = options.intervalMs ?? FEED_INTERVAL_MS;
  const sign = options.credentials ? serviceTokenSigner(options.credentials, FEED_AUDIENCE) : undefined;
  const feed = createTRPCClient<FeedRouter>({
    links: [
      httpLink({
        url: options.feedUrl,
        transformer,
        headers: async (): Promise<Record<string, string>> => (sign ? { [SERVICE_TOKEN_HEADER]: await sign() } : {}),
      }),
    ],
  });
  let faults: readonly Fault[] = [];
  let revision = -1;
  let away = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let syncing: Promise<void> | undefined;

  const apply = (answer: LabFeed) => {
    faults = answer.faults;
    if (answer.revision === revision) return;
    for (const [service, endpoints] of Object.entries(answer.endpoints)) {
      if (endpoints) resolver.setEndpoints(service as ServiceName, endpoints);
    }
    revision = answer.revision;
  };

  const sync = async () => {
    const taken = tallies.take();
    const calls = taken.slice(0, MAX_TALLIES);
    tallies.restore(taken.slice(MAX_TALLIES));
    try {
      const answer = await untraced(() =>
        feed.sync.mutate({ instance, revision, calls }, { signal: AbortSignal.timeout(options.requestTimeoutMs ?? 2_000) }),
      );
      const first = revision === -1;
      apply(labFeedSchema.parse(answer));
      if (away) logger.info({ feedUrl: options.feedUrl, revision }, "lab feed reachable again");
      else if (first) logger.info({ feedUrl: options.feedUrl, revision }, "following the lab feed");
      away = false;
    } catch (error) {
      // Not lost: these calls go with the next report that arrives.
      tallies.restore(calls);
      if (!away) {
        logger.warn(
          { feedUrl: options.feedUrl, err: error instanceof Error ? error.message : String(error) },
          `lab feed unreachable: keeping the last faults and endpoints, asking again every ${intervalMs} ms`,
        );
      }
      away = true;
    }
  };

  const loop = () => {
    if (stopped) return;
    syncing = sync().finally(() => {
      syncing = undefined;
      if (stopped) return;
      timer = setTimeout(loop, intervalMs);
      timer.unref();
    });
  };
  loop();

  return {
    faults: () => faults,
    get revision() {
      return revision;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await syncing;
    },
  };
}
