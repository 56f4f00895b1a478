/**
 * Synthetic OTLP traffic shaped by a lab snapshot, for working on the lab's UI without the stack:
 * each service's spans are sent from its replicas (their `service.instance.id` and
 * `service.version` in the resource, picked by the replicas' weights), a canary that answers
 * errors fails some of its calls, faults add their latency and errors to the calls they act on, and
 * the load generator's traces carry `microshop.synthetic` = "load". It stands in for what the real
 * processes would report, so the map moves the way the stack would.
 */
import { decide, type LabSnapshot } from "@microshop/lab";

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string };
}
interface OtlpSpan {
  spanId: string;
  parentSpanId: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpAttribute[];
  status: { code: number; message?: string };
}
interface OtlpExport {
  resourceSpans: Array<{ resource: { attributes: OtlpAttribute[] }; scopeSpans: Array<{ scope?: unknown; spans: OtlpSpan[] }> }>;
}

const serviceOf = (resource: { attributes: OtlpAttribute[] }) =>
  resource.attributes.find((attribute) => attribute.key === "service.name")?.value.stringValue ?? "";

function pick<T extends { weight: number }>(items: readonly T[], random: () => number): T | undefined {
  const total = items.reduce((sum, item) => sum + item.weight, 0);
  if (total <= 0) return items[0];
  let roll = random() * total;
  return items.find((item) => (roll -= item.weight) < 0) ?? items.at(-1);
}

const addNanos = (nanos: string, ms: number) => (BigInt(nanos) + BigInt(Math.round(ms * 1_000_000))).toString();

/** Rewrites one export (as `toOtlpJson` writes it) the way the lab's replicas, versions and faults would shape it. */
export function shapeForLab(
  body: unknown,
  snapshot: LabSnapshot | null,
  options: { synthetic: boolean; random?: () => number },
): unknown {
  const random = options.random ?? Math.random;
  const input = structuredClone(body) as OtlpExport;
  const serverService = new Map<string, string>();
  for (const resourceSpans of input.resourceSpans)
    for (const scope of resourceSpans.scopeSpans)
      for (const span of scope.spans)
        if (span.kind === 2) serverService.set(span.parentSpanId, serviceOf(resourceSpans.resource));

  const out: OtlpExport = { resourceSpans: [] };
  for (const resourceSpans of input.resourceSpans) {
    const service = serviceOf(resourceSpans.resource);
    const view = snapshot?.services.find((candidate) => candidate.service === service);
    const ready = view?.instances.filter((instance) => instance.state === "ready") ?? [];
    const byInstance = new Map<string, { version: string; spans: OtlpSpan[] }>();
    for (const scope of resourceSpans.scopeSpans) {
      for (const span of scope.spans) {
        if (options.synthetic) span.attributes.push({ key: "microshop.synthetic", value: { stringValue: "load" } });
        // A call out: the faults on it add their latency and errors, as the caller's link would.
        const callee = span.kind === 3 ? serverService.get(span.spanId) : undefined;
        if (callee && snapshot) {
          const outcome = decide(snapshot.faults, { caller: service, callee }, random);
          span.endTimeUnixNano = addNanos(span.endTimeUnixNano, outcome.delayMs);
          if (outcome.result !== "pass") span.status = { code: 2, message: `fault: ${outcome.result}` };
        }
        const instance = pick(ready, random);
        if (instance && span.kind === 2 && view?.deployment?.to === instance.version) {
          const failRate = { good: 0, errors: 0.4, breaking: 0.9 }[view.deployment.flavour];
          if (random() < failRate) span.status = { code: 2, message: `${service} ${instance.version} failed the call` };
        }
        const key = instance?.name ?? "";
        let group = byInstance.get(key);
        if (!group) byInstance.set(key, (group = { version: instance?.version ?? "", spans: [] }));
        group.spans.push(span);
      }
    }
    for (const [instance, { version, spans }] of byInstance) {
      const identity: OtlpAttribute[] = instance
        ? [
            { key: "service.instance.id", value: { stringValue: instance } },
            { key: "service.version", value: { stringValue: version } },
          ]
        : [];
      out.resourceSpans.push({
        resource: { attributes: [...resourceSpans.resource.attributes, ...identity] },
        scopeSpans: [{ scope: resourceSpans.scopeSpans[0]?.scope, spans }],
      });
    }
  }
  return out;
}
