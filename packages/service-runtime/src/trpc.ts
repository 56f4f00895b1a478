// The one error shape lives beside the one way to read errors; services import it from here.
export { createErrorFormatter, describeZodError, type ErrorData } from "@microshop/trpc-errors/format";
