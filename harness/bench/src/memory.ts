/**
 * Memory of the microservices stack, per process: idle (the stack ready, then left alone), and
 * under the lab's load generator (shopper journeys through the storefront at a steady rate,
 * started through the control plane as the dashboard starts it), with the Node flags the
 * supervisor gives each process (`sized`) and, in the same run, the flags it used before
 * (`node-defaults`: Node's own, with source maps), the baseline. Read from /proc (Linux): the
 * resident set (RSS, what the goal is stated in; the pages of the one `node` binary that every
 * process maps are counted in each) and the proportional set (PSS, shared pages split between
 * the processes that share them: what the stack costs the machine).
 */
import { readFileSync } from "node:fs";
import os from "node:os";
import { defaultLoadSettings } from "@microshop/lab";
import { labClients } from "./lab-clients";
import { writeSection } from "./report";
import { benchPortOffset, startStack } from "./running-stack";

const profiles = ["node-defaults", "sized"] as const;
type Profile = (typeof profiles)[number];

const settleMs = 10_000;
const journeysPerSecond = 5;
const loadSeconds = 30;
const sampleEveryMs = 5_000;

export interface ProcessMemory {
  readonly name: string;
  readonly rssMb: number;
  readonly pssMb: number;
}

export interface ProfileMemory {
  readonly idle: readonly ProcessMemory[];
  /** The highest of each process's samples while the load ran. */
  readonly underLoad: readonly ProcessMemory[];
  readonly journeys: { readonly succeeded: number; readonly failed: number; readonly p95Ms: number | null };
}

export type MemoryResult = Record<Profile, ProfileMemory>;

function kb(file: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(file, "utf8"));
  return Number(match?.[1] ?? 0);
}

function memoryOf(name: string, pid: number): ProcessMemory | undefined {
  try {
    return {
      name,
      rssMb: kb(`/proc/${pid}/status`, "VmRSS") / 1024,
      pssMb: kb(`/proc/${pid}/smaps_rollup`, "Pss") / 1024,
    };
  } catch {
    return undefined; // it ended while we looked
  }
}

async function measure(profile: Profile): Promise<ProfileMemory> {
  const stack = await startStack({ portOffset: benchPortOffset, nodeFlags: profile });
  try {
    const { plane, supervisor } = labClients(stack);
    const processes = [
      { name: "supervisor + load generator", pid: stack.pid },
      ...(await supervisor.processes.list.query()).flatMap((info) => (info.pid ? [{ name: info.name, pid: info.pid }] : [])),
    ];
    const sample = () => processes.flatMap(({ name, pid }) => memoryOf(name, pid) ?? []);
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    const idle = sample();
    await plane.startLoad.mutate({ ...defaultLoadSettings, rate: journeysPerSecond, maxDurationS: loadSeconds + 60 });
    const peak = new Map<string, ProcessMemory>();
    for (let waited = 0; waited < loadSeconds * 1_000; waited += sampleEveryMs) {
      await new Promise((resolve) => setTimeout(resolve, sampleEveryMs));
      for (const now of sample()) {
        const before = peak.get(now.name);
        peak.set(now.name, {
          name: now.name,
          rssMb: Math.max(now.rssMb, before?.rssMb ?? 0),
          pssMb: Math.max(now.pssMb, before?.pssMb ?? 0),
        });
      }
    }
    const load = await plane.stopLoad.mutate();
    return {
      idle,
      underLoad: [...peak.values()],
      journeys: { succeeded: load.total.succeeded, failed: load.total.failed, p95Ms: load.total.p95Ms },
    };
  } finally {
    await stack.stop();
  }
}

export async function benchMemory(): Promise<MemoryResult> {
  const result: Partial<MemoryResult> = {};
  for (const profile of profiles) result[profile] = await measure(profile);
  return result as MemoryResult;
}

const total = (processes: readonly ProcessMemory[], pick: (p: ProcessMemory) => number) =>
  processes.reduce((sum, p) => sum + pick(p), 0);

export function memorySection(result: MemoryResult): string {
  const names = result.sized.idle.map((p) => p.name);
  const mb = (processes: readonly ProcessMemory[], name: string) => {
    const found = processes.find((p) => p.name === name);
    return found ? `${found.rssMb.toFixed(0)} MiB` : "–";
  };
  const rows = names.map(
    (name) =>
      `| ${name} | ${mb(result["node-defaults"].idle, name)} | ${mb(result.sized.idle, name)} | ${mb(result["node-defaults"].underLoad, name)} | ${mb(result.sized.underLoad, name)} |`,
  );
  const sum = (processes: readonly ProcessMemory[], pick: (p: ProcessMemory) => number) =>
    `${total(processes, pick).toFixed(0)} MiB`;
  const rss = (p: ProcessMemory) => p.rssMb;
  const pss = (p: ProcessMemory) => p.pssMb;
  const base = result["node-defaults"];
  const sized = result.sized;
  const ratio = (a: number, b: number) => (b > 0 ? `${((a / b) * 100).toFixed(0)} %` : "?");
  const idleGoal = total(sized.idle, rss) < 1024 ? "met" : "missed";
  const loadGoal = total(sized.underLoad, rss) < 1536 ? "met" : "missed";
  const journeys = (j: ProfileMemory["journeys"]) =>
    `${j.succeeded} journeys succeeded, ${j.failed} failed, p95 ${j.p95Ms === null ? "–" : `${j.p95Ms.toFixed(0)} ms`}`;
  return `## Memory of the microservices stack, per process

The whole microservices stack started by the supervisor (after the build), measured ${settleMs / 1_000} s after
ready ("idle"), then with the lab's load generator running through the control plane (${journeysPerSecond} shopper journeys
a second through the storefront, the default mix, for ${loadSeconds} s; the highest of samples every ${sampleEveryMs / 1_000} s). Baseline, in
the same run: the Node flags every process ran with before (\`MICROSHOP_NODE_FLAGS=node-defaults\`: Node's own, and
\`--enable-source-maps\` for our bundles); then what \`pnpm start\` now gives each process and the supervisor
itself (\`sized\`, \`packages/supervisor/src/node-flags.ts\`: Node flags and malloc's mmap threshold). Resident set
(RSS, in MiB) from /proc; the load generator runs inside the supervisor. Measured ${new Date().toISOString().slice(0, 10)} on a shared ${os.availableParallelism()}-core machine (other work ran beside it), Node ${process.version}:
absolute figures move from run to run, the ratio to the baseline less. Goals: under 1 GiB idle, under 1.5 GiB under load.

| process | idle, baseline | idle, sized | under load, baseline | under load, sized |
| --- | --- | --- | --- | --- |
${rows.join("\n")}
| **total RSS** | ${sum(base.idle, rss)} | **${sum(sized.idle, rss)}** (${ratio(total(sized.idle, rss), total(base.idle, rss))}) | ${sum(base.underLoad, rss)} | **${sum(sized.underLoad, rss)}** (${ratio(total(sized.underLoad, rss), total(base.underLoad, rss))}) |
| total PSS | ${sum(base.idle, pss)} | ${sum(sized.idle, pss)} | ${sum(base.underLoad, pss)} | ${sum(sized.underLoad, pss)} |

Idle goal (under 1 GiB): ${idleGoal}. Under load (under 1.5 GiB): ${loadGoal}. The load, baseline: ${journeys(base.journeys)};
sized: ${journeys(sized.journeys)}.

Where it went (\`process.memoryUsage()\` and V8's heap spaces of each service, before sizing): an idle
service held 150 to 180 MB. Its live objects are about 25 MB (the bundle's code, Prisma's client and
its query compiler, tRPC, zod, OpenTelemetry: only the HTTP, undici and Prisma instrumentations are
loaded). \`--enable-source-maps\` kept the bundle's parsed source map, 20 to 30 MB in the large-object
space of every service; V8 had grown the young generation to 16 MB a semi-space (32 MB) while the
process started, and kept it; each of V8's worker threads added a few MB of stacks and malloc arenas.
About 43 MB of every process's RSS is the \`node\` binary's own pages, shared by all of them (which is why
PSS is so much lower); Prisma's engine is not loaded twice (one WebAssembly query compiler per
process, no native engine with \`engineType = "client"\`). What is left is the price of one Node
runtime per service, which the monolith pays once (see start-up and footprint). Two more findings made the
\`sized\` profile what it is now. The supervisor (with the load generator inside it) ran with Node's own
flags, since \`pnpm start\` starts it: the same small young generation and one worker thread took about
38 MiB off it. And the user service stood 20 to 35 MiB above the others idle and grew to 258 MiB under
load: every sign-up and sign-in runs scrypt, 16 MiB a hash on one of libuv's four threads, and once
such a block has been freed glibc raises its mmap threshold to that size, so each thread's arena keeps
one (in a bare Node, two hashes left it 17 MiB larger, four 49 MiB). \`MALLOC_MMAP_THRESHOLD_=131072\`
(glibc's default, fixed) gives each block back when it is freed (four hashes: 1 MiB), and took 5 to
15 MiB off every other process too. Measured by hand before this run, one change at a time (the stack 10 s after ready): 1106 MiB
as before, 1053 with the supervisor's flags, 975 with the threshold as well. Not done: Next.js's
\`preloadEntriesOnStart: false\` took only 5 MiB off each Next.js server, at the cost of every
route's first request.`;
}

export function writeMemory(result: MemoryResult): void {
  writeSection("memory", memorySection(result));
}
