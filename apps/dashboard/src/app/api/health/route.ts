export const dynamic = "force-dynamic";

/** Readiness for the supervisor: the dashboard answers; its sources may still be starting. */
export function GET(): Response {
  return Response.json({ ok: true });
}
