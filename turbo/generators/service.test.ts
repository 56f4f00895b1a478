// Runs the service generator as `pnpm gen service` does (the local @turbo/gen, no download) into a
// throw-away root, then holds the folder it wrote to what every service does: it typechecks, passes
// its own tests, builds, migrates, starts, answers over HTTP and stops cleanly on SIGTERM.
// The generated folder borrows this package's node_modules, whose devDependencies are the template's.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";

const exec = promisify(execFile);
const here = import.meta.dirname;
const bin = (name: string) => path.join(here, "node_modules", ".bin", name);
// A budget, never an assertion: tsc or vitest over a service and the runtime it imports took a
// minute here while other packages' tests shared the 2 cores; the shared budget is two.
const heavy = { timeout: 300_000 };
let root: string;
let service: string;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), "microshop-gen-"));
  // What @turbo/gen looks for at a repository's root: its manifests and turbo/generators/config.ts.
  for (const file of ["package.json", "pnpm-workspace.yaml", "turbo.json"])
    copyFileSync(path.join(here, "..", "..", file), path.join(root, file));
  mkdirSync(path.join(root, "turbo"));
  symlinkSync(here, path.join(root, "turbo", "generators"), "dir");
  await run(bin("gen"), ["run", "service", "--root", root, "--args", "sample", "4999"], { cwd: root });
  service = path.join(root, "apps", "services", "sample");
  symlinkSync(path.join(here, "node_modules"), path.join(service, "node_modules"), "dir");
  await run(bin("prisma"), ["generate"], { cwd: service });
  await run(bin("prisma"), ["generate"], { cwd: service, env: { ...process.env, MICROSHOP_PRISMA_PROVIDER: "postgres" } });
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

it.each([
  ["Sample", "4998", "lowercase letters"],
  ["sample", "4998", "apps/services/sample exists already"],
  ["other", "4001", "Port 4001 belongs to another process"],
])("refuses the name %s with port %s", async (name, port, reason) => {
  const refused = await run(bin("gen"), ["run", "service", "--root", root, "--args", name, port], { cwd: root }).then(
    () => "generated",
    (error: Error) => error.message,
  );
  expect(refused).toContain(reason);
});

it("writes a service that typechecks", heavy, async () => {
  await run(bin("tsc"), ["--noEmit"], { cwd: service });
});

it("writes a service whose own tests pass", heavy, async () => {
  await run(bin("vitest"), ["run"], { cwd: service });
});

it("builds, migrates, starts, answers its example procedures and exits 0 on SIGTERM", heavy, async () => {
  const env = { ...process.env, DATABASE_URL: `file:${path.join(root, "sample.db")}`, OTEL_SDK_DISABLED: "true" };
  await run(bin("tsup"), [], { cwd: service });
  await run(bin("prisma"), ["migrate", "deploy"], { cwd: service, env });
  const child = spawn(process.execPath, ["dist/main.js"], {
    cwd: service,
    env: { ...env, PORT: "0" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  try {
    const url = await listeningUrl(child);
    while ((await fetch(`${url}/readyz`)).status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
    const added = await call(url, "items.add", { name: "First" });
    expect(await call(url, "items.byId", { id: added.id })).toMatchObject({ id: added.id, name: "First" });
  } finally {
    child.kill("SIGTERM");
  }
  expect(await exited).toBe(0);
});

/** Runs a command to its end; a failure carries what it printed, where tsc and vitest say why. */
async function run(file: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
  try {
    return await exec(file, args, options);
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`${path.basename(file)} ${args.join(" ")} failed:\n${stdout}${stderr}`);
  }
}

/** The address the service logs once it listens (it was given port 0, so the system chose one). */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    // Reads every line to the end, so the child never blocks on a full pipe.
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const entry = (line.startsWith("{") ? JSON.parse(line) : {}) as { msg?: string; url?: string };
      if (entry.msg === "listening" && entry.url) resolve(entry.url);
    });
    child.once("exit", () => reject(new Error("the service exited before it listened")));
  });
}

/** One tRPC call as another service makes it: a POST with the superjson envelope. */
async function call(url: string, procedure: string, input: unknown): Promise<{ id: string; name: string }> {
  const response = await fetch(`${url}/trpc/${procedure}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ json: input }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { result: { data: { json: { id: string; name: string } } } }).result.data.json;
}
