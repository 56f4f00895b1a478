/**
 * The supervisor's real control API router over pretend processes that stop, start and restart
 * in a moment: for the BFF's tests and for working on the dashboard without the whole stack.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { supervisorRouter, type ProcessInfo, type StackMode } from "@microshop/supervisor/router";
import { serviceNames, services } from "@microshop/topology";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class PretendProcess {
  state: ProcessInfo["state"] = "ready";
  restarts = 0;
  constructor(
    readonly name: string,
    readonly kind: ProcessInfo["kind"],
    readonly port: number,
    readonly mode: StackMode,
    readonly hosts: readonly string[],
    private readonly delayMs: number,
  ) {}
  info(): ProcessInfo {
    const { name, kind, port, mode, state, restarts, hosts } = this;
    return {
      name,
      service: name,
      replica: 1,
      kind,
      mode,
      state,
      pid: state === "ready" ? 1000 + port : null,
      url: `http://127.0.0.1:${port}`,
      port,
      restarts,
      startedAt: new Date(),
      hosts,
      logFile: `.data/logs/${name}.log`,
    };
  }
  async stop() {
    this.state = "stopping";
    await sleep(this.delayMs / 3);
    this.state = "stopped";
  }
  async start() {
    this.state = "starting";
    await sleep(this.delayMs);
    this.state = "ready";
  }
  async restart() {
    await this.stop();
    await this.start();
  }
}

export interface RunningPretendSupervisor {
  readonly url: string;
  readonly processes: readonly PretendProcess[];
  close(): Promise<void>;
}

export async function startPretendSupervisor(
  options: { port?: number; mode?: StackMode; delayMs?: number } = {},
): Promise<RunningPretendSupervisor> {
  const mode = options.mode ?? "microservices";
  const delayMs = options.delayMs ?? 1_500;
  const make = (name: string, kind: ProcessInfo["kind"], port: number, hosts: readonly string[] = []) =>
    new PretendProcess(name, kind, port, mode, hosts, delayMs);
  const processes =
    mode === "monolith"
      ? [make("monolith", "monolith", 4100, serviceNames), make("storefront", "storefront", 3000)]
      : [...serviceNames.map((name) => make(name, "service", services[name].port)), make("storefront", "storefront", 3000)];
  processes.push(make("telemetry", "telemetry", 4318), make("dashboard", "dashboard", 3001));

  const supervisor = {
    mode,
    list: () => processes.map((p) => p.info()),
    lookup: (name: string) => {
      const process = processes.find((p) => p.name === name);
      if (process) return { found: true, process, replicas: [process] };
      const host = processes.find((p) => p.hosts.includes(name));
      if (host) return { found: false, reason: "hosted", host: host.name };
      return { found: false, reason: "unknown", known: processes.map((p) => p.name) };
    },
  };
  // The router's context is the real Supervisor; this object offers the part the router uses.
  const handler = createHTTPHandler({
    router: supervisorRouter,
    basePath: "/trpc/",
    createContext: () => ({ supervisor }) as never,
  });
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/trpc`,
    processes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
