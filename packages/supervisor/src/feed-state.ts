/**
 * The lab feed as the supervisor keeps it: the feed every process follows (endpoints and faults,
 * with a revision that grows with every change), and what the processes report back. From the
 * reports it knows, per process, the last revision applied and when it last spoke, so a change can
 * wait until every caller follows it (`waitUntilApplied`: a replica leaves the endpoints, every
 * caller stops sending to it, then it is drained); and it adds up every caller's calls per
 * (callee, instance), which is how a deploy counts its failed calls and a canary is judged.
 */
import type { Fault } from "@microshop/lab/faults";
import type { FeedReport, FeedSource, LabFeed } from "@microshop/lab/feed";
import { TRPCError } from "@trpc/server";

export interface Tally {
  readonly ok: number;
  readonly failed: number;
}

/** What the supervisor knows of one process following the feed. */
export interface Ack {
  readonly instance: string;
  readonly caller: string;
  readonly revision: number;
  readonly reportedAt: number;
}

export interface FeedStateOptions {
  /** Epoch milliseconds (tests pass their own clock). */
  readonly now?: () => number;
  /** A process counts as following the feed while it reported within this long (default 2 s). */
  readonly freshMs?: number;
  /** How many of an instance's latest calls its recent error rate looks back over (default 200). */
  readonly windowCalls?: number;
  /** Why `caller` may not report as `instance`, or null when it may (default: anyone may). */
  readonly refuseReport?: (caller: string, instance: string) => string | null;
}

export type Wait = { readonly applied: true } | { readonly applied: false; readonly lagging: readonly string[] };

const key = (callee: string, instance: string) => `${callee}\u0000${instance}`;

export class FeedState implements FeedSource {
  private feed: LabFeed = { revision: 0, endpoints: {}, faults: [] };
  private readonly acks = new Map<string, Ack>();
  private readonly totals = new Map<string, Tally>();
  /** Per (callee, instance), the latest reports' tallies, oldest first, about `windowCalls` calls in all. */
  private readonly recent = new Map<string, Tally[]>();
  private readonly reportListeners = new Set<(report: FeedReport) => void>();
  private readonly now: () => number;
  private readonly freshMs: number;
  private readonly windowCalls: number;

  constructor(private readonly options: FeedStateOptions = {}) {
    this.now = options.now ?? Date.now;
    this.freshMs = options.freshMs ?? 2_000;
    this.windowCalls = options.windowCalls ?? 200;
  }

  get revision(): number {
    return this.feed.revision;
  }

  current(): LabFeed {
    return this.feed;
  }

  /** Puts out new endpoints and faults; the revision grows only when something changed. Returns it. */
  publish(next: { readonly endpoints: LabFeed["endpoints"]; readonly faults: readonly Fault[] }): number {
    const same =
      JSON.stringify(next.endpoints) === JSON.stringify(this.feed.endpoints) &&
      JSON.stringify(next.faults) === JSON.stringify(this.feed.faults);
    if (!same) this.feed = { revision: this.feed.revision + 1, endpoints: next.endpoints, faults: [...next.faults] };
    return this.feed.revision;
  }

  /** One process's report in (its caller verified by the server), the current feed out. */
  sync(report: FeedReport, caller: string): LabFeed {
    const refused = this.options.refuseReport?.(caller, report.instance) ?? null;
    if (refused !== null) throw new TRPCError({ code: "FORBIDDEN", message: refused });
    this.acks.set(report.instance, { instance: report.instance, caller, revision: report.revision, reportedAt: this.now() });
    for (const call of report.calls) {
      if (call.ok + call.failed === 0) continue;
      const at = key(call.callee, call.instance);
      const total = this.totals.get(at) ?? { ok: 0, failed: 0 };
      this.totals.set(at, { ok: total.ok + call.ok, failed: total.failed + call.failed });
      const window = [...(this.recent.get(at) ?? []), { ok: call.ok, failed: call.failed }];
      while (window.length > 1 && count(window.slice(1)) >= this.windowCalls) window.shift();
      this.recent.set(at, window);
    }
    for (const listener of this.reportListeners) listener(report);
    return this.feed;
  }

  /** Every call to `callee` reported so far, per instance called. */
  totalsFor(callee: string): Map<string, Tally> {
    const prefix = key(callee, "");
    const found = new Map<string, Tally>();
    for (const [at, tally] of this.totals) if (at.startsWith(prefix)) found.set(at.slice(prefix.length), tally);
    return found;
  }

  /** The latest calls to one instance (about `windowCalls` of them): what a canary is judged by. */
  recentCalls(callee: string, instance: string): Tally {
    const window = this.recent.get(key(callee, instance)) ?? [];
    return { ok: window.reduce((sum, tally) => sum + tally.ok, 0), failed: window.reduce((sum, tally) => sum + tally.failed, 0) };
  }

  /** A new process under an old name (`product` again after a deploy) starts with no recent calls. */
  forgetRecent(callee: string, instance: string): void {
    this.recent.delete(key(callee, instance));
  }

  onReport(listener: (report: FeedReport) => void): () => void {
    this.reportListeners.add(listener);
    return () => this.reportListeners.delete(listener);
  }

  /** The processes that reported within `freshMs`: those a change waits for. */
  following(): Ack[] {
    const since = this.now() - this.freshMs;
    return [...this.acks.values()].filter((ack) => ack.reportedAt >= since);
  }

  /**
   * Resolves once every process following the feed has applied `revision` or a later one, or after
   * `timeoutMs` (then with the processes still behind: the caller proceeds and says so).
   */
  waitUntilApplied(revision: number, options: { readonly timeoutMs?: number } = {}): Promise<Wait> {
    return this.waitFor((ack) => ack.revision >= revision, options.timeoutMs ?? 5_000);
  }

  /** Resolves once every process following the feed has reported after `at` (its tallies until then are in). */
  waitForReportsAfter(at: number, options: { readonly timeoutMs?: number } = {}): Promise<Wait> {
    return this.waitFor((ack) => ack.reportedAt > at, options.timeoutMs ?? 2_000);
  }

  private async waitFor(done: (ack: Ack) => boolean, timeoutMs: number): Promise<Wait> {
    const lagging = () => this.following().filter((ack) => !done(ack));
    const deadline = Date.now() + timeoutMs;
    while (lagging().length > 0) {
      if (Date.now() >= deadline) return { applied: false, lagging: lagging().map((ack) => ack.instance) };
      // Woken by the next report, or after a while: a process that stopped reporting drops out.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(finish, Math.min(100, Math.max(1, deadline - Date.now())));
        const unsubscribe = this.onReport(finish);
        function finish(): void {
          clearTimeout(timer);
          unsubscribe();
          resolve();
        }
      });
    }
    return { applied: true };
  }
}

function count(window: readonly Tally[]): number {
  return window.reduce((sum, tally) => sum + tally.ok + tally.failed, 0);
}

/** Sums tallies minus a baseline taken earlier: the calls in between. */
export function callsSince(
  now: ReadonlyMap<string, Tally>,
  baseline: ReadonlyMap<string, Tally>,
  only?: ReadonlySet<string>,
): Tally {
  let ok = 0;
  let failed = 0;
  for (const [instance, tally] of now) {
    if (only && !only.has(instance)) continue;
    const before = baseline.get(instance) ?? { ok: 0, failed: 0 };
    ok += tally.ok - before.ok;
    failed += tally.failed - before.failed;
  }
  return { ok, failed };
}
