/**
 * Which compiled better-sqlite3 addon a process loads. `pnpm install` builds (or downloads) one,
 * for the Node that ran the install; an addon is tied to one Node ABI (`process.versions.modules`:
 * 115 for Node 20, 127 for 22, 137 for 24), so the same checkout cannot run its services on
 * another Node. `SQLITE_ADDON_DIR` names a folder holding one build per ABI,
 * `node-v<abi>/better_sqlite3.node` (the benchmark builds them, to compare Node versions in one
 * run); the process takes the one for the Node running it, and refuses to start when it is missing
 * rather than fail on its first query. Unset: better-sqlite3's own lookup, as installed.
 */
import { existsSync } from "node:fs";
import path from "node:path";

export const SQLITE_ADDON_DIR = "SQLITE_ADDON_DIR";

/** The addon's path inside `dir` for a Node ABI. */
export function sqliteAddonPath(dir: string, abi: string = process.versions.modules): string {
  return path.resolve(dir, `node-v${abi}`, "better_sqlite3.node");
}

/** The `nativeBinding` option of better-sqlite3 for this process, or undefined for its own lookup. */
export function sqliteNativeBinding(
  env: Readonly<Record<string, string | undefined>>,
  abi: string = process.versions.modules,
): string | undefined {
  const dir = env[SQLITE_ADDON_DIR];
  if (dir === undefined || dir === "") return undefined;
  const addon = sqliteAddonPath(dir, abi);
  if (!existsSync(addon))
    throw new Error(
      `${SQLITE_ADDON_DIR}=${dir} has no better-sqlite3 build for this Node (${process.version}, ABI ${abi}): expected ${addon}`,
    );
  return addon;
}
