/**
 * Tracers whose spans are not recorded, while the trace goes on through them: a quiet tracer's span
 * carries its parent's context (same trace, same parent id, same sampling decision), so whatever is
 * started under it hangs off that parent and is sampled as it would have been.
 *
 * Why: Next.js makes a dozen spans of its own for every page it serves (two server spans, then
 * middleware, module loading, the component tree, render, metadata, start of response), under the
 * server span the HTTP instrumentation already makes for the request. The map draws none of them
 * (it draws calls between processes and to databases), yet each was made, processed, exported and
 * ingested: most of what tracing cost the storefront a page (`pnpm bench overhead`). Next.js has
 * no switch to make fewer (`NEXT_OTEL_VERBOSE=1` makes more), and a sampler cannot drop them: a
 * span a sampler refuses passes "not sampled" on to the calls under it. Hand-written because the
 * SDK has no per-tracer filter; the pieces are the API's own (`ProxyTracerProvider.setDelegate`,
 * `trace.wrapSpanContext`).
 */
import {
  context,
  INVALID_SPAN_CONTEXT,
  ProxyTracerProvider,
  trace,
  type Context,
  type Span,
  type SpanOptions,
  type Tracer,
  type TracerOptions,
  type TracerProvider,
} from "@opentelemetry/api";

/** A span that records nothing and stands for its parent: what is started under it is the parent's child. */
function standIn(parent: Context): Span {
  return trace.wrapSpanContext(trace.getSpanContext(parent) ?? INVALID_SPAN_CONTEXT);
}

class QuietTracer implements Tracer {
  startSpan(_name: string, _options?: SpanOptions, parent: Context = context.active()): Span {
    return standIn(parent);
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, parent: Context, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    _name: string,
    ...rest: [F] | [SpanOptions, F] | [SpanOptions, Context, F]
  ): ReturnType<F> {
    const fn = rest.at(-1) as F;
    const parent = rest.length === 3 ? rest[1] : context.active();
    const span = standIn(parent);
    return context.with(trace.setSpan(parent, span), () => fn(span) as ReturnType<F>);
  }
}

class QuietingTracerProvider implements TracerProvider {
  readonly #quiet = new QuietTracer();

  constructor(
    private readonly provider: TracerProvider,
    private readonly quietNames: ReadonlySet<string>,
  ) {}

  getTracer(name: string, version?: string, options?: TracerOptions): Tracer {
    return this.quietNames.has(name) ? this.#quiet : this.provider.getTracer(name, version, options);
  }
}

/**
 * From now on, the tracers of these names (e.g. `next.js`) record nothing and pass the trace through.
 * Call it after the SDK has registered its provider; false when there is none to wrap.
 */
export function quietTracers(names: readonly string[]): boolean {
  const global = trace.getTracerProvider();
  if (!(global instanceof ProxyTracerProvider) || names.length === 0) return false;
  global.setDelegate(new QuietingTracerProvider(global.getDelegate(), new Set(names)));
  return true;
}
