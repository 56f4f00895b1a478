/**
 * Who a process is, on every span it exports: `service.name`, and `service.instance.id` and
 * `service.version`, so the map can draw replicas and versions. The standard variable
 * `OTEL_RESOURCE_ATTRIBUTES` (the supervisor sets it) wins, read by OTel's own env detector;
 * without it, `SERVICE_INSTANCE_ID` and `SERVICE_VERSION` (the lab's names), else the service's
 * name and 1.0.0.
 */
import { defaultResource, detectResources, envDetector, resourceFromAttributes, type Resource } from "@opentelemetry/resources";
import { ATTR_SERVICE_INSTANCE_ID, ATTR_SERVICE_VERSION } from "@opentelemetry/semantic-conventions";

export const DEFAULT_SERVICE_VERSION = "1.0.0";

export function processResource(serviceName: string, env: Readonly<Record<string, string | undefined>>): Resource {
  const fallback = resourceFromAttributes({
    [ATTR_SERVICE_INSTANCE_ID]: env.SERVICE_INSTANCE_ID || serviceName,
    [ATTR_SERVICE_VERSION]: env.SERVICE_VERSION || DEFAULT_SERVICE_VERSION,
  });
  // `merge` lets its argument win: what OTEL_RESOURCE_ATTRIBUTES says overrides the fallback, which
  // overrides the SDK's defaults (telemetry.sdk.*); the SDK then adds process and host attributes.
  return defaultResource()
    .merge(fallback)
    .merge(detectResources({ detectors: [envDetector] }));
}
