import { TRPCClientError } from "@trpc/client";

interface ErrorData {
  readonly code?: string;
  readonly zodError?: { readonly fieldErrors?: Record<string, string[] | undefined> } | null;
}

/** The sentence to show for a failed call: the BFF already wrote it for a shopper. */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const data = error.data as ErrorData | undefined;
    if (data?.zodError) return "Please check the highlighted fields.";
    if (!data) return "We couldn't reach the shop. Check your connection and try again.";
    return error.message;
  }
  return "Something went wrong. Please try again.";
}

/** Per-field messages from the server's validation, keyed like the form's field names. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof TRPCClientError)) return {};
  const fields = (error.data as ErrorData | undefined)?.zodError?.fieldErrors ?? {};
  return Object.fromEntries(Object.entries(fields).flatMap(([name, messages]) => (messages?.[0] ? [[name, messages[0]]] : [])));
}
