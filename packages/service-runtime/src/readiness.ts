/** `/readyz`: ready when every mount says it can serve and the process is not stopping. */
import type { Mount } from "./routing";

export async function readiness(mounts: readonly Mount[], stopping: boolean): Promise<{ status: number; body: unknown }> {
  const checks: Record<string, string> = {};
  await Promise.all(
    mounts.map(async (mount) => {
      try {
        await mount.instance.checkReady();
        checks[mount.name] = "ok";
      } catch (error) {
        checks[mount.name] = error instanceof Error ? error.message : String(error);
      }
    }),
  );
  const ready = !stopping && Object.values(checks).every((status) => status === "ok");
  return { status: ready ? 200 : 503, body: { status: ready ? "ready" : stopping ? "stopping" : "not ready", checks } };
}
