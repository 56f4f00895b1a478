import type { TRPCDefaultErrorShape, TRPCError } from "@trpc/server";
import { z, ZodError } from "zod";

export interface ErrorData {
  /** Field-level messages when the input failed its zod schema, ready for a form. */
  readonly zodError: ReturnType<typeof z.flattenError> | null;
  /** The service that raised the error, so a caller several hops away knows where it came from. */
  readonly service: string;
}

/**
 * The one error shape: tRPC's default plus the zod field errors and the origin service.
 * Every service passes `createErrorFormatter(name)` to `initTRPC.create`.
 */
export function createErrorFormatter(service: string) {
  return ({ shape, error }: { shape: TRPCDefaultErrorShape; error: TRPCError }) => {
    const zodError = error.cause instanceof ZodError ? error.cause : null;
    const data: TRPCDefaultErrorShape["data"] & ErrorData = {
      ...shape.data,
      zodError: zodError ? z.flattenError(zodError) : null,
      service,
    };
    // Stack traces stay in the logs, never on the wire.
    delete data.stack;
    // zod's default message is a JSON dump; a caller (and a person) reads one line better.
    const message = zodError ? describeZodError(zodError) : shape.message;
    return { ...shape, message, data };
  };
}

/** "Invalid input: slug: Too small..., quantity: ..." */
export function describeZodError(error: ZodError): string {
  const parts = error.issues.map((issue) =>
    issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message,
  );
  return `Invalid input: ${parts.join("; ")}`;
}
