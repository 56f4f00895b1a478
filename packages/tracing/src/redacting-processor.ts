/**
 * Redacts every span as it ends, before any exporter sees it (`redact.ts` says what goes): the
 * instrumentations record `url.full` with the query, and attributes are set until the very end, so
 * `onEnding` (the last moment the span is still writable) is where it is done, once for all of them.
 */
import type { Span, SpanProcessor } from "@opentelemetry/sdk-trace";
import { SpanStatusCode } from "@opentelemetry/api";
import { redactCredentials, redactedAttributes, redactSpanName } from "./redact";

/** The part of a span this processor touches: the Node and the web SDK's spans both have it. */
interface EndingSpan {
  readonly name: string;
  readonly attributes: Span["attributes"];
  readonly events: Span["events"];
  readonly status: Span["status"];
  setAttributes: Span["setAttributes"];
  updateName: Span["updateName"];
  setStatus: Span["setStatus"];
}

export class RedactingSpanProcessor implements SpanProcessor {
  onStart(): void {}

  onEnding(span: EndingSpan): void {
    const name = redactSpanName(span.name);
    if (name !== span.name) span.updateName(name);
    const changed = redactedAttributes(span.attributes);
    if (Object.keys(changed).length > 0) span.setAttributes(changed);
    for (const event of span.events) {
      if (event.attributes) Object.assign(event.attributes, redactedAttributes(event.attributes));
    }
    const message = span.status.message;
    if (span.status.code === SpanStatusCode.ERROR && message !== undefined) {
      const redacted = redactCredentials(message);
      if (redacted !== message) span.setStatus({ code: SpanStatusCode.ERROR, message: redacted });
    }
  }

  onEnd(): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
