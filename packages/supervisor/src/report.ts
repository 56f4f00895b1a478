import type { StateChange } from "./managed-process";

/** `  product     ready     http://127.0.0.1:4001  pid 1234  (0.8 s)`: one line per state change. */
export function formatStateLine(change: Pick<StateChange, "state" | "detail"> & { readonly name: string }): string {
  return `  ${change.name.padEnd(11)} ${change.state.padEnd(9)} ${change.detail}`.trimEnd();
}

/** A child's output line in `--verbose` mode. */
export function formatOutputLine(name: string, line: string): string {
  return `  ${name.padEnd(11)} | ${line}`;
}
