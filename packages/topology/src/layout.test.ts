/**
 * The repository's layout as the topology and the house rules describe it: every folder the
 * topology names holds that package, and a package under packages/ never depends on an app (no
 * package.json dependency, no import), so apps build on packages and never the other way round.
 * Tools that drive the whole system live in harness/ and e2e/ instead.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { folders, serviceNames, services } from "./index";

function findRepoRoot(from: string = import.meta.dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "pnpm-workspace.yaml"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No pnpm-workspace.yaml above ${from}`);
  }
}

const repoRoot = findRepoRoot();

interface PackageJson {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const readPackage = (dir: string) => JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as PackageJson;

/** The package folders directly under `parent` (relative to the repository root). */
function packagesIn(parent: string): string[] {
  return readdirSync(path.join(repoRoot, parent), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(repoRoot, parent, entry.name, "package.json")))
    .map((entry) => path.join(parent, entry.name));
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|tsx|js|mjs|cjs)$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

const importSpecifiers = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)["']([^"']+)["']/g;

/** Every dependency of `packageDir` on an app, as "<file>: <what>" for the failure message. */
function dependenciesOnApps(packageDir: string, appNames: ReadonlySet<string>): string[] {
  const manifest = readPackage(path.join(repoRoot, packageDir));
  const declared = [manifest.dependencies, manifest.devDependencies, manifest.peerDependencies, manifest.optionalDependencies]
    .flatMap((deps) => Object.keys(deps ?? {}))
    .filter((name) => appNames.has(name))
    .map((name) => `${packageDir}/package.json: ${name}`);
  const imported = sourceFiles(path.join(repoRoot, packageDir, "src")).flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(importSpecifiers)]
      .map((match) => match[1]!)
      .filter((specifier) =>
        specifier.startsWith(".")
          ? path.relative(repoRoot, path.resolve(path.dirname(file), specifier)).split(path.sep)[0] === "apps"
          : [...appNames].some((app) => specifier === app || specifier.startsWith(`${app}/`)),
      )
      .map((specifier) => `${path.relative(repoRoot, file)}: imports ${specifier}`),
  );
  return [...declared, ...imported];
}

describe("the repository's layout", () => {
  it("has each process's package in the folder the topology names", () => {
    const named = [
      ...serviceNames.map((name) => [services[name].folder, `@microshop/${name}-service`]),
      [folders.telemetry, "@microshop/telemetry-service"],
      [folders.monolith, "@microshop/monolith"],
      [folders.storefront, "@microshop/storefront"],
      [folders.dashboard, "@microshop/dashboard"],
    ];
    expect(named.map(([folder]) => [folder, readPackage(path.join(repoRoot, folder!)).name])).toEqual(named);
  });

  it("has no package under packages/ depending on an app", () => {
    const apps = new Set(
      [...packagesIn("apps"), ...packagesIn("apps/services")].map((dir) => readPackage(path.join(repoRoot, dir)).name),
    );
    expect(apps).toContain("@microshop/dashboard");
    expect(packagesIn("packages").flatMap((dir) => dependenciesOnApps(dir, apps))).toEqual([]);
  });
});
