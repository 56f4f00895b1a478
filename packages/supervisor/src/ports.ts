import { createServer } from "node:net";

function isFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/**
 * Names every port already taken, so that a second `pnpm start` fails at once with a clear message
 * instead of crash-looping children on EADDRINUSE.
 */
export async function busyPorts(
  ports: readonly { readonly name: string; readonly port: number }[],
  host = "127.0.0.1",
): Promise<string[]> {
  const checks = await Promise.all(
    ports.filter(({ port }) => port !== 0).map(async (entry) => ((await isFree(entry.port, host)) ? null : entry)),
  );
  return checks.filter((entry) => entry !== null).map(({ name, port }) => `${name} needs port ${port}, which is in use`);
}

/** A port nobody listens on right now, from the OS: where a new replica listens. */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
