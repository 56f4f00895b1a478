/**
 * Why this file exists: Postgres's text cannot hold the NUL character (U+0000), SQLite's can, so the
 * same input once stored on one and crashed the other with "invalid byte sequence". No text in a
 * store means anything with a NUL in it, so every service refuses it at the door, on both providers,
 * with an error the caller can act on, before zod or the database see it.
 */
import { TRPCError } from "@trpc/server";

// Input bodies are bounded (MAX_BODY_BYTES); this bounds the walk of a hostile nested value too.
const maxValuesWalked = 100_000;

function hasNul(text: string): boolean {
  return text.includes("\u0000");
}

/** Throws BAD_REQUEST when any string in `input` (a value or an object key, at any depth) holds a NUL. */
export function refuseNulCharacters(input: unknown): void {
  const pending: unknown[] = [input];
  const seen = new Set<object>();
  for (let walked = 0; pending.length > 0 && walked < maxValuesWalked; walked++) {
    const value = pending.pop();
    if (typeof value === "string") {
      if (hasNul(value))
        throw new TRPCError({ code: "BAD_REQUEST", message: "Text may not contain the NUL character (\\u0000)" });
    } else if (typeof value === "object" && value !== null && !seen.has(value)) {
      seen.add(value);
      for (const [key, inner] of Object.entries(value)) {
        pending.push(key, inner);
      }
    }
  }
}
