import { TRPCError } from "@trpc/server";
import { z } from "zod";
import type { ManagedProcess } from "./managed-process";
import type { Supervisor } from "./supervisor";
import { createTRPCRouter, publicProcedure } from "./trpc";

const processNameInput = z.object({
  name: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z][a-z0-9-]*$/, "a process name is lower-case letters, digits and dashes, like inventory"),
});

/** The processes a name means: one process, or every replica of a service (`cart` after its deploy runs as `cart-2`). */
function findProcesses(supervisor: Supervisor, name: string): readonly ManagedProcess[] {
  const result = supervisor.lookup(name);
  if (result.found) return result.replicas;
  if (result.reason === "hosted") {
    throw new TRPCError({
      code: "PRECONDITION_FAILED",
      message: `"${name}" runs inside the ${result.host} process in ${supervisor.mode} mode, so it cannot be stopped or started alone; act on "${result.host}" instead`,
    });
  }
  throw new TRPCError({ code: "NOT_FOUND", message: `No process named "${name}"; this stack runs ${result.known.join(", ")}` });
}

/** Acts on each process at once and answers with the first one's state once all are done. */
async function waitForOutcome(
  processes: readonly ManagedProcess[],
  action: (process: ManagedProcess) => Promise<void>,
): Promise<ReturnType<ManagedProcess["info"]>> {
  try {
    await Promise.all(processes.map(action));
  } catch (error) {
    throw new TRPCError({
      code: "INTERNAL_SERVER_ERROR",
      message:
        error instanceof Error ? error.message : `${processes.map((process) => process.name).join(", ")} failed to change state`,
      cause: error,
    });
  }
  return processes[0]!.info();
}

const processesRouter = createTRPCRouter({
  /** Every process with its state, pid, URL and restart count. */
  list: publicProcedure.query(({ ctx }) => ctx.supervisor.list()),
  /** Stops a process (not a crash: it is not restarted) and resolves once it has exited. */
  stop: publicProcedure
    .input(processNameInput)
    .mutation(({ ctx, input }) => waitForOutcome(findProcesses(ctx.supervisor, input.name), (process) => process.stop())),
  /** Starts a stopped process and resolves once it is ready. */
  start: publicProcedure
    .input(processNameInput)
    .mutation(({ ctx, input }) => waitForOutcome(findProcesses(ctx.supervisor, input.name), (process) => process.start())),
  /**
   * SIGKILL, as a crash (chaos tests): nothing runs on the way out, and the supervisor restarts it
   * with backoff like any crash, counting the restart. Resolves once it has exited, in `backoff`;
   * poll `list` to see it ready again. CONFLICT when it is not running.
   */
  kill: publicProcedure.input(processNameInput).mutation(async ({ ctx, input }) => {
    // One crash: the first replica of a service named, or the process named.
    const [process] = findProcesses(ctx.supervisor, input.name) as [ManagedProcess];
    const pid = process.pid;
    try {
      await process.kill();
    } catch (error) {
      throw new TRPCError({
        code: "CONFLICT",
        message: error instanceof Error ? error.message : `${process.name} could not be killed`,
        cause: error,
      });
    }
    return { ...process.info(), killedPid: pid };
  }),
  /** Stops then starts a process; resolves once it is ready again. */
  restart: publicProcedure
    .input(processNameInput)
    .mutation(({ ctx, input }) => waitForOutcome(findProcesses(ctx.supervisor, input.name), (process) => process.restart())),
});

export const supervisorRouter = createTRPCRouter({ processes: processesRouter });

/** Import as a type only: `createTRPCClient<SupervisorRouter>(...)`. */
export type SupervisorRouter = typeof supervisorRouter;
export type { ProcessInfo, ProcessKind, ProcessState, StackMode } from "./process-spec";
