/**
 * Start-up and footprint: the whole stack started by the supervisor (as `pnpm start` does, after
 * the build), timed to "all ready" on an empty data directory (migrations and seeds included) and
 * again on the warm one, with the resident memory of every process of the stack.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { writeSection } from "./report";

const repoRoot = path.resolve(import.meta.dirname, "..", "..", "..");
type Mode = "microservices" | "monolith";

interface StartupRun {
  readonly readySeconds: number;
  readonly processes: number;
  readonly rssMb: number;
}

/** Resident memory of a process and all its descendants, from /proc (Linux). */
function treeRss(rootPid: number): { processes: number; rssKb: number } {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // the process ended while we looked
    }
  }
  const tree = new Set([rootPid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (!tree.has(pid) && tree.has(parent)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  let rssKb = 0;
  for (const pid of tree) {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      rssKb += Number(match?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return { processes: tree.size, rssKb };
}

function startOnce(mode: Mode, dataDir: string): Promise<StartupRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["packages/supervisor/dist/cli.js", "start", "--mode", mode, "--data-dir", dataDir], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let measuring = false;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the ${mode} stack was not ready within 120 s:\n${output}`));
    }, 120_000);
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /all ready in ([\d.]+) s/.exec(output);
      if (!match || measuring) return;
      measuring = true;
      clearTimeout(timer);
      // Let the first requests' lazy work settle before measuring memory.
      setTimeout(() => {
        const { processes, rssKb } = treeRss(child.pid!);
        child.once("exit", () => resolve({ readySeconds: Number(match[1]), processes, rssMb: Math.round(rssKb / 1024) }));
        child.kill("SIGTERM");
      }, 2_000);
    });
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => {
      if (!/all ready/.test(output)) {
        clearTimeout(timer);
        reject(new Error(`the ${mode} stack exited with ${code}:\n${output}`));
      }
    });
  });
}

export async function benchStartup(): Promise<Array<{ mode: Mode; cold: StartupRun; warm: StartupRun }>> {
  const results = [];
  for (const mode of ["microservices", "monolith"] as const) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), `microshop-bench-${mode}-`));
    try {
      const cold = await startOnce(mode, dataDir);
      const warm = await startOnce(mode, dataDir);
      results.push({ mode, cold, warm });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return results;
}

export function writeStartupSection(results: Awaited<ReturnType<typeof benchStartup>>): void {
  const rows = results.map(
    ({ mode, cold, warm }) =>
      `| ${mode} | ${cold.readySeconds.toFixed(1)} s | ${warm.readySeconds.toFixed(1)} s | ${warm.processes} | ${warm.rssMb} MB |`,
  );
  writeSection(
    "startup",
    `## Start-up and footprint

The whole stack started by the supervisor, after the build, until every process answers its
readiness check. Cold: an empty data directory, so every database is migrated and seeded first.
Warm: the same directory again. Memory: resident set of the supervisor and every process it
started, 2 s after ready. Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} cores, Node ${process.version}.

| mode | cold start | warm start | processes | memory (RSS) |
| --- | --- | --- | --- | --- |
${rows.join("\n")}

One process per service costs memory (each Node runtime, Prisma client and SQLite handle is paid
again) and start-up time; the monolith pays them once. That is the operational cost of letting
every service be deployed and scaled on its own.`,
  );
}
