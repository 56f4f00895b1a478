/**
 * Who a process is, as the lab sees it: its instance name and version, handed to it in the
 * variables every process reads (`@microshop/lab`'s `labEnv`) and in its spans' resource
 * attributes, so that the map can draw replicas and versions. One place, for the first process of
 * a service and for every replica or new version the control plane starts later.
 */
import { labEnv } from "@microshop/lab/feed";
import type { VersionFlavour } from "@microshop/lab/control-plane";

/** A version of a service and what it does. */
export interface Release {
  readonly version: string;
  readonly flavour: VersionFlavour;
}

/** What every process runs at first. */
export const initialRelease: Release = { version: "1.0.0", flavour: "good" };

export function instanceEnv(instance: string, release: Release): Record<string, string> {
  return {
    [labEnv.instance]: instance,
    [labEnv.version]: release.version,
    [labEnv.flavour]: release.flavour,
    // The standard OTel variable: the SDK's resource detector reads it in every process.
    OTEL_RESOURCE_ATTRIBUTES: `service.instance.id=${instance},service.version=${release.version}`,
  };
}

/** The release a spec's environment names (what `instanceEnv` put there). */
export function releaseOf(env: Readonly<Record<string, string>>): Release {
  const flavour = env[labEnv.flavour];
  return {
    version: env[labEnv.version] ?? initialRelease.version,
    flavour: flavour === "errors" || flavour === "breaking" ? flavour : "good",
  };
}
