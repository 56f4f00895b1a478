import { isTRPCClientError } from "@trpc/client";
import type { AppRouter } from "~/server/api/root";

/** The sentence to show for a failed call: the BFF already wrote most of them for a person. */
export function errorMessage(error: unknown): string {
  if (isTRPCClientError<AppRouter>(error)) {
    if (!error.data) return "The dashboard's server is not answering. Is `pnpm start` still running?";
    const fields: Record<string, string[] | undefined> = error.data.zodError?.fieldErrors ?? {};
    const field = Object.values(fields).flat()[0];
    if (field) return field;
    return error.message;
  }
  return error instanceof Error ? error.message : "Something went wrong. Please try again.";
}
