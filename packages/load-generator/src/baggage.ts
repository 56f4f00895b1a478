/**
 * Every request of the load carries `baggage: microshop.synthetic=load` (W3C Baggage), so each span
 * started under it carries the attribute and the map can show or hide the load. Members the caller
 * already sends are kept; a `microshop.synthetic` of theirs is replaced, never doubled.
 */
import { LOAD_BAGGAGE, LOAD_BAGGAGE_KEY } from "@microshop/lab";

function memberKey(member: string): string {
  return member.split(/[=;]/, 1)[0]!.trim();
}

/** The caller's headers with the load's baggage member merged into their baggage header (any casing). */
export function withLoadBaggage(headers: Readonly<Record<string, string>> = {}): Record<string, string> {
  const merged: Record<string, string> = {};
  const members: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== "baggage") merged[name] = value;
    else members.push(...value.split(",").map((member) => member.trim()));
  }
  const kept = members.filter((member) => member !== "" && memberKey(member) !== LOAD_BAGGAGE_KEY);
  merged.baggage = [...kept, LOAD_BAGGAGE].join(",");
  return merged;
}
