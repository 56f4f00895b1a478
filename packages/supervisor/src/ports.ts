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
