import { isTRPCClientError } from "@trpc/client";
import type { AppRouter } from "~/server/api/root";

/** The sentence to show for a failed call: the BFF already wrote it for a shopper. */
export function errorMessage(error: unknown): string {
  if (isTRPCClientError<AppRouter>(error)) {
    if (error.data?.zodError) return "Please check the highlighted fields.";
    if (!error.data) return "We couldn't reach the shop. Check your connection and try again.";
    return error.message;
  }
  return "Something went wrong. Please try again.";
}

/** Per-field messages from the server's validation, keyed like the form's field names. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!isTRPCClientError<AppRouter>(error)) return {};
  const fields: Record<string, string[] | undefined> = error.data?.zodError?.fieldErrors ?? {};
  return Object.fromEntries(Object.entries(fields).flatMap(([name, messages]) => (messages?.[0] ? [[name, messages[0]]] : [])));
}
