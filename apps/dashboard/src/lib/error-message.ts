import { TRPCClientError } from "@trpc/client";

interface ErrorData {
  readonly code?: string;
  readonly zodError?: { readonly formErrors?: string[]; readonly fieldErrors?: Record<string, string[] | undefined> } | null;
}

/** The sentence to show for a failed call: the BFF already wrote most of them for a person. */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const data = error.data as ErrorData | undefined;
    if (!data) return "The dashboard's server is not answering. Is `pnpm start` still running?";
    const field = Object.values(data.zodError?.fieldErrors ?? {}).flat()[0];
    if (field) return field;
    return error.message;
  }
  return error instanceof Error ? error.message : "Something went wrong. Please try again.";
}
