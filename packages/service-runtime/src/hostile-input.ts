import { TRPCError } from "@trpc/server";
import fc from "fast-check";

/** Codes a procedure may answer bad input with: the caller's fault, never the service's. */
const callerFaults = new Set<TRPCError["code"]>([
  "BAD_REQUEST",
  "NOT_FOUND",
  "CONFLICT",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "UNPROCESSABLE_CONTENT",
  "PAYMENT_REQUIRED",
  "PAYLOAD_TOO_LARGE",
  "TOO_MANY_REQUESTS",
  "PRECONDITION_FAILED",
]);

/**
 * Hostile values for a procedure's input: wrong types, huge and odd strings and numbers, deep
 * objects, and objects shaped like the real input with one field replaced by any of those.
 */
export function hostileInput(shape: Record<string, unknown> = {}): fc.Arbitrary<unknown> {
  const nasty = fc.oneof(
    fc.anything({ maxDepth: 4, maxKeys: 8 }),
    fc.string({ unit: "binary", maxLength: 500 }),
    fc.constantFrom("", " ", "<script>alert(1)</script>", "' OR 1=1 --", "\u0000", "𝕄𝕚𝕔𝕣𝕠", "x".repeat(100_000)),
    fc.constantFrom(-1, 0, 0.5, -0.0001, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, Number.NaN, Number.POSITIVE_INFINITY),
    fc.letrec((tie) => ({ deep: fc.oneof({ depthSize: "small" }, fc.constant(null), fc.record({ a: tie("deep") })) })).deep,
  );
  const keys = Object.keys(shape);
  if (keys.length === 0) return nasty;
  const mutated = fc
    .record({ key: fc.constantFrom(...keys), value: nasty })
    .map(({ key, value }) => ({ ...shape, [key]: value }));
  return fc.oneof(nasty, mutated);
}

/**
 * Calls `call` with many hostile inputs: each must either succeed (when the value happens to be
 * valid) or fail with a TRPCError whose code blames the caller. An INTERNAL_SERVER_ERROR, any
 * other exception or a hang fails the property.
 */
export async function expectOnlyCallerFaults(
  call: (input: unknown) => Promise<unknown>,
  arbitrary: fc.Arbitrary<unknown>,
  runs = 150,
): Promise<void> {
  await fc.assert(
    fc.asyncProperty(arbitrary, async (input) => {
      try {
        await call(input);
      } catch (error) {
        if (!(error instanceof TRPCError) || !callerFaults.has(error.code)) throw error;
      }
    }),
    { numRuns: runs, interruptAfterTimeLimit: 20_000 },
  );
}
