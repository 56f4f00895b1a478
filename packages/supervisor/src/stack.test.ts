import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findRepoRoot, parseCliConfig } from "./config";
import { deriveControlToken, deriveSigningKey, trustedKeysFor } from "@microshop/service-auth";
import { callerNames, folders, services } from "@microshop/topology";
import { replicaSpec } from "./replicas";
import { nodeFlagsFor, supervisorNodeFlags } from "./node-flags";
import { buildStack, nextAppSpec, nodeProcessSpec, type StackPlaces } from "./stack";

const repoRoot = findRepoRoot();
const dataDir = "/srv/shop";

describe("buildStack", () => {
  it("runs one process per service, then the storefront pointed at each of them", () => {
    const specs = buildStack({
      mode: "microservices",
      dev: false,
      repoRoot,
      dataDir,
      logLevel: "info",
      services: ["product", "inventory"],
    });
    expect(specs.map((spec) => [spec.name, spec.port, spec.dependsOn])).toEqual([
      ["telemetry", 4318, []],
      ["product", 4001, []],
      ["inventory", 4002, []],
      ["storefront", 3000, ["product", "inventory"]],
      ["dashboard", 3001, ["telemetry"]],
    ]);
    const product = specs[1]!;
    expect(product).toEqual(
      nodeProcessSpec(
        { repoRoot, dataDir, dev: false, bindHost: "127.0.0.1", host: "127.0.0.1", nodeFlags: "sized" },
        {
          name: "product",
          kind: "service",
          folder: services.product.folder,
          port: 4001,
          env: product.env,
          migrations: product.migrations,
        },
      ),
    );
    expect(product.env).toMatchObject({
      PORT: "4001",
      DATA_DIR: dataDir,
      DATABASE_URL: "file:/srv/shop/product.db",
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318",
    });
    expect(product.migrations).toEqual([expect.objectContaining({ service: "product", databaseFile: "/srv/shop/product.db" })]);
    expect(specs[3]!.env).toMatchObject({
      PRODUCT_SERVICE_URLS: "http://127.0.0.1:4001/trpc",
      INVENTORY_SERVICE_URLS: "http://127.0.0.1:4002/trpc",
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318",
    });
    expect(specs[3]!.readyUrl).toBe("http://127.0.0.1:3000/api/health");
  });

  it("shifts every default port by the offset, so a second stack can run beside the first", () => {
    const specs = buildStack({
      mode: "microservices",
      dev: false,
      repoRoot,
      dataDir,
      logLevel: "info",
      services: ["product", "cart"],
      portOffset: 200,
    });
    expect(specs.map((spec) => [spec.name, spec.port])).toEqual([
      ["telemetry", 4518],
      ["product", 4201],
      ["cart", 4203],
      ["storefront", 3200],
      ["dashboard", 3201],
    ]);
    expect(specs[4]!.env).toMatchObject({
      TELEMETRY_URL: "http://127.0.0.1:4518/trpc",
      SUPERVISOR_URL: "http://127.0.0.1:4200/trpc",
      STOREFRONT_PUBLIC_URL: "http://localhost:3200",
    });
    expect(specs[4]!.env.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    expect(specs[2]!.env).toMatchObject({
      PRODUCT_SERVICE_URLS: "http://127.0.0.1:4201/trpc",
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4518",
    });
    const monolith = buildStack({
      mode: "monolith",
      dev: false,
      repoRoot,
      dataDir,
      logLevel: "info",
      services: ["product"],
      portOffset: 200,
    });
    expect(monolith.map((spec) => spec.port)).toEqual([4518, 4300, 3200, 3201]);
  });

  it("gives each process its own key only, every public key, and the dashboard the control token", () => {
    const root = "s".repeat(64);
    const specs = buildStack({
      mode: "microservices",
      dev: false,
      repoRoot,
      dataDir,
      logLevel: "info",
      services: ["product"],
      serviceTokenSecret: root,
    });
    const trusted = trustedKeysFor(root, callerNames);
    expect(specs.map((spec) => [spec.name, spec.env.SERVICE_SIGNING_KEY, spec.env.SERVICE_TRUSTED_KEYS])).toEqual([
      ["telemetry", undefined, trusted],
      ["product", deriveSigningKey(root, "product"), trusted],
      ["storefront", deriveSigningKey(root, "storefront"), undefined],
      ["dashboard", deriveSigningKey(root, "dashboard"), undefined],
    ]);
    expect(specs[3]!.env.SUPERVISOR_CONTROL_TOKEN).toBe(deriveControlToken(root));
    // The root itself reaches no process.
    expect(specs.flatMap((spec) => Object.values(spec.env)).some((value) => value.includes(root))).toBe(false);
    expect(specs.some((spec) => "DASHBOARD_LOCAL_DEV" in spec.env)).toBe(false);
  });

  it("tells every process who it is, and those that follow the lab feed where it is", () => {
    const feed = "http://127.0.0.1:4000/lab/trpc";
    const specs = buildStack({
      mode: "microservices",
      dev: false,
      repoRoot,
      dataDir,
      logLevel: "info",
      services: ["product"],
      labFeedUrl: feed,
    });
    expect(specs.map((spec) => [spec.name, spec.env.LAB_FEED_URL])).toEqual([
      ["telemetry", undefined],
      ["product", feed],
      ["storefront", feed],
      ["dashboard", undefined],
    ]);
    expect(specs[1]!.env).toMatchObject({
      SERVICE_INSTANCE_ID: "product",
      SERVICE_VERSION: "1.0.0",
      SERVICE_FLAVOUR: "good",
      OTEL_RESOURCE_ATTRIBUTES: "service.instance.id=product,service.version=1.0.0",
    });
    expect(specs[3]!.env.CONTROL_PLANE_URL).toBe("http://127.0.0.1:4000/control/trpc");
    const monolith = buildStack({
      mode: "monolith",
      dev: false,
      repoRoot,
      dataDir,
      logLevel: "info",
      services: ["product"],
      labFeedUrl: feed,
    });
    expect(monolith.find((spec) => spec.name === "monolith")!.env).toMatchObject({
      LAB_FEED_URL: feed,
      SERVICE_INSTANCE_ID: "monolith",
    });
    // Without a control API nothing follows a feed.
    const bare = buildStack({ mode: "microservices", dev: false, repoRoot, dataDir, logLevel: "info", services: ["product"] });
    expect(bare.some((spec) => "LAB_FEED_URL" in spec.env)).toBe(false);
  });

  it("makes a replica from the first one: its own name, port and identity, the same database and key", () => {
    const root = "r".repeat(64);
    const [, product] = buildStack({
      mode: "microservices",
      dev: false,
      repoRoot,
      dataDir,
      logLevel: "info",
      services: ["product"],
      serviceTokenSecret: root,
    });
    const second = replicaSpec(product!, { replica: 2, port: 40123, release: { version: "1.1.0", flavour: "errors" } });
    expect(second).toMatchObject({
      name: "product-2",
      service: "product",
      replica: 2,
      port: 40123,
      url: "http://127.0.0.1:40123",
      readyUrl: "http://127.0.0.1:40123/readyz",
      logFile: "/srv/shop/logs/product-2.log",
      cwd: product!.cwd,
      args: product!.args,
    });
    expect(second.env).toMatchObject({
      PORT: "40123",
      DATABASE_URL: "file:/srv/shop/product.db",
      SERVICE_SIGNING_KEY: deriveSigningKey(root, "product"),
      SERVICE_INSTANCE_ID: "product-2",
      SERVICE_VERSION: "1.1.0",
      SERVICE_FLAVOUR: "errors",
      OTEL_RESOURCE_ATTRIBUTES: "service.instance.id=product-2,service.version=1.1.0",
    });
  });

  it("binds every process to loopback unless told otherwise", () => {
    const local = buildStack({ mode: "microservices", dev: false, repoRoot, dataDir, logLevel: "info", services: ["product"] });
    expect(local.map((spec) => spec.env.HOST)).toEqual(["127.0.0.1", "127.0.0.1", "127.0.0.1", "127.0.0.1"]);
    expect(local[3]!.args.slice(-5)).toEqual(["start", "-H", "127.0.0.1", "-p", "3001"]);
    const exposed = buildStack({
      mode: "microservices",
      dev: true,
      repoRoot,
      dataDir,
      logLevel: "info",
      services: ["product"],
      host: "0.0.0.0",
    });
    expect(exposed.map((spec) => spec.env.HOST)).toEqual(["0.0.0.0", "0.0.0.0", "0.0.0.0", "0.0.0.0"]);
    expect(exposed[3]!.args.slice(1, 4)).toEqual(["dev", "-H", "0.0.0.0"]);
    // They still reach each other over loopback.
    expect(exposed[2]!.env.PRODUCT_SERVICE_URLS).toBe("http://127.0.0.1:4001/trpc");
    // Only on loopback does the storefront take X-Forwarded-For from its one proxy (the load generator's shoppers).
    expect(local[2]!.env.TRUSTED_PROXY_HOPS).toBe("1");
    expect(exposed[2]!.env.TRUSTED_PROXY_HOPS).toBeUndefined();
  });

  it("can run without the telemetry service, and then tells every process not to trace", () => {
    const specs = buildStack({
      mode: "microservices",
      dev: false,
      repoRoot,
      dataDir,
      logLevel: "info",
      services: ["product"],
      telemetry: false,
    });
    expect(specs.map((spec) => spec.name)).toEqual(["product", "storefront"]);
    expect(specs[0]!.env.OTEL_SDK_DISABLED).toBe("true");
  });

  it("runs every service inside the monolith, which migrates each database and owns no DATABASE_URL", () => {
    const specs = buildStack({
      mode: "monolith",
      dev: false,
      repoRoot,
      dataDir,
      logLevel: "info",
      services: ["product", "inventory"],
    });
    expect(specs.map((spec) => spec.name)).toEqual(["telemetry", "monolith", "storefront", "dashboard"]);
    const monolith = specs[1]!;
    expect(monolith.hosts).toEqual(["product", "inventory"]);
    expect(monolith.env.DATABASE_URL).toBeUndefined();
    expect(monolith.migrations.map((target) => target.databaseFile)).toEqual(["/srv/shop/product.db", "/srv/shop/inventory.db"]);
    expect(specs[2]!.env.INVENTORY_SERVICE_URLS).toBe("http://127.0.0.1:4100/inventory/trpc");
  });

  it("hands each service its own Postgres database under --db postgres, and migrates that one", () => {
    const postgresUrls = {
      product: "postgres://u:p@127.0.0.1:5532/product",
      inventory: "postgres://u:p@127.0.0.1:5532/inventory",
    };
    const options = {
      dev: false,
      repoRoot,
      dataDir,
      logLevel: "info",
      services: ["product", "inventory"] as const,
      postgresUrls,
    };
    const micro = buildStack({ ...options, mode: "microservices" });
    const product = micro.find((spec) => spec.name === "product")!;
    expect(product.env.DATABASE_URL).toBe(postgresUrls.product);
    expect(product.migrations.map((target) => target.postgresUrl)).toEqual([postgresUrls.product]);
    const monolith = buildStack({ ...options, mode: "monolith" }).find((spec) => spec.name === "monolith")!;
    expect(monolith.env.DATABASE_URL).toBeUndefined();
    expect(monolith.env.PRODUCT_DATABASE_URL).toBe(postgresUrls.product);
    expect(monolith.env.INVENTORY_DATABASE_URL).toBe(postgresUrls.inventory);
    expect(monolith.migrations.map((target) => target.postgresUrl)).toEqual([postgresUrls.product, postgresUrls.inventory]);
  });

  it("watches sources in dev mode", () => {
    const [, product, storefront] = buildStack({
      mode: "microservices",
      dev: true,
      repoRoot,
      dataDir,
      logLevel: "info",
      services: ["product"],
    });
    expect(product!.args.slice(1)).toEqual(["watch", "--clear-screen=false", "src/main.ts"]);
    expect(storefront!.args.slice(1, 2)).toEqual(["dev"]);
  });
});

describe("the spec builders", () => {
  const stack: StackPlaces = { repoRoot, dataDir, dev: false, bindHost: "0.0.0.0", host: "127.0.0.1", nodeFlags: "sized" };
  const parts = {
    name: "product",
    kind: "service",
    folder: services.product.folder,
    port: 4001,
    env: { LOG_LEVEL: "info" },
  } as const;

  it("run a Node process from its package's build, reached on the connect host and logged by name", () => {
    const spec = nodeProcessSpec(stack, parts);
    expect(spec).toMatchObject({
      name: "product",
      service: "product",
      replica: 1,
      cwd: path.join(repoRoot, "apps/services/product"),
      args: [...nodeFlagsFor("service", "sized"), "dist/main.js"],
      env: { LOG_LEVEL: "info", HOST: "0.0.0.0", PORT: "4001", NODE_ENV: "production" },
      url: "http://127.0.0.1:4001",
      readyUrl: "http://127.0.0.1:4001/readyz",
      dependsOn: [],
      hosts: [],
      migrations: [],
      logFile: "/srv/shop/logs/product.log",
      requires: [{ file: path.join(repoRoot, "apps/services/product/dist/main.js") }],
    });
    const watched = nodeProcessSpec({ ...stack, dev: true }, parts);
    expect(watched.args.slice(1)).toEqual(["watch", "--clear-screen=false", "src/main.ts"]);
    expect(watched.env.NODE_ENV).toBe("development");
    expect(watched.requires).toBeUndefined();
  });

  it("run a Next app with `next start` of its build, its health route as readiness", () => {
    const spec = nextAppSpec(stack, { name: "dashboard", kind: "dashboard", folder: folders.dashboard, port: 3001, env: {} });
    expect(spec).toMatchObject({
      cwd: path.join(repoRoot, "apps/dashboard"),
      env: { HOST: "0.0.0.0", PORT: "3001", NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
      url: "http://localhost:3001",
      readyUrl: "http://127.0.0.1:3001/api/health",
      requires: [{ file: path.join(repoRoot, "apps/dashboard/.next/BUILD_ID") }],
    });
    expect(spec.args.slice(-5)).toEqual(["start", "-H", "0.0.0.0", "-p", "3001"]);
    expect(spec.args.slice(0, -6)).toEqual(nodeFlagsFor("dashboard", "sized"));
  });

  it("run the storefront with its own production server (the page cache in front of Next.js), and `next dev` when watching", () => {
    const productOnly = { mode: "microservices", repoRoot, dataDir, logLevel: "info", services: ["product"] } as const;
    const [, , storefront] = buildStack({ ...productOnly, dev: false });
    expect(storefront!.name).toBe("storefront");
    expect(storefront!.args).toEqual([...nodeFlagsFor("storefront", "sized"), "dist/server.js"]);
    expect(storefront!.env).toMatchObject({ HOST: "127.0.0.1", PORT: "3000" });
    expect(storefront!.requires).toEqual([
      expect.objectContaining({ file: path.join(repoRoot, "apps/storefront/.next/BUILD_ID") }),
      expect.objectContaining({ file: path.join(repoRoot, "apps/storefront/dist/server.js") }),
    ]);
    const [, , watched] = buildStack({ ...productOnly, dev: true });
    expect(watched!.args.slice(-5)).toEqual(["dev", "-H", "127.0.0.1", "-p", "3000"]);
  });

  it("size each process's Node flags, or keep Node's own (with source maps) as the memory baseline", () => {
    const sized = nodeProcessSpec(stack, parts);
    expect(sized.args).not.toContain("--enable-source-maps");
    const telemetry = nodeProcessSpec(stack, { ...parts, name: "telemetry", kind: "telemetry" });
    expect(telemetry.args).toEqual([...nodeFlagsFor("telemetry", "sized"), "dist/main.js"]);
    expect(nodeFlagsFor("telemetry", "sized", 20)).toEqual(["--max-semi-space-size=4", "--v8-pool-size=1"]);
    const baseline = { ...stack, nodeFlags: "node-defaults" } as const;
    expect(nodeProcessSpec(baseline, parts).args).toEqual(["--enable-source-maps", "dist/main.js"]);
    const dashboard = nextAppSpec(baseline, {
      name: "dashboard",
      kind: "dashboard",
      folder: folders.dashboard,
      port: 3001,
      env: {},
    });
    expect(dashboard.args.slice(1)).toEqual(["start", "-H", "0.0.0.0", "-p", "3001"]);
    // Watch mode runs tsx and next dev, whose own flags stay theirs.
    expect(nodeProcessSpec({ ...stack, dev: true }, parts).args.slice(1, 2)).toEqual(["watch"]);
  });

  it("fix malloc's mmap threshold in every sized process, and leave the baseline and watch mode as Node has it", () => {
    expect(nodeProcessSpec(stack, parts).env).toMatchObject({ MALLOC_MMAP_THRESHOLD_: "131072" });
    const dashboard = { name: "dashboard", kind: "dashboard", folder: folders.dashboard, port: 3001, env: {} } as const;
    expect(nextAppSpec(stack, dashboard).env).toMatchObject({ MALLOC_MMAP_THRESHOLD_: "131072" });
    expect(nodeProcessSpec({ ...stack, nodeFlags: "node-defaults" }, parts).env).not.toHaveProperty("MALLOC_MMAP_THRESHOLD_");
    expect(nodeProcessSpec({ ...stack, dev: true }, parts).env).not.toHaveProperty("MALLOC_MMAP_THRESHOLD_");
  });

  it("start the supervisor itself with its sized flags from `pnpm start` and `pnpm start:monolith`", () => {
    const rootPackage = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    const supervisor = `exec node ${supervisorNodeFlags("sized").join(" ")} packages/supervisor/dist/cli.js start`;
    expect(supervisorNodeFlags("sized")).not.toEqual([]);
    expect(rootPackage.scripts.start).toContain(supervisor);
    expect(rootPackage.scripts["start:monolith"]).toContain(`${supervisor} --mode monolith`);
  });
});

describe("parseCliConfig", () => {
  it("defaults to microservices in <repo>/.data/<mode> on port 4000", () => {
    expect(parseCliConfig([], {}, "/repo")).toMatchObject({
      command: "start",
      mode: "microservices",
      dataDir: "/repo/.data/microservices",
      supervisorPort: 4000,
      verbose: false,
      db: "sqlite",
      postgresPort: 5532,
    });
    expect(parseCliConfig(["--db", "postgres"], { MICROSHOP_PORT_OFFSET: "1000" }, "/repo")).toMatchObject({
      db: "postgres",
      postgresPort: 6532,
    });
    expect(parseCliConfig([], { MICROSHOP_PORT_OFFSET: "300", STOREFRONT_PORT: "8080" }, "/repo")).toMatchObject({
      supervisorPort: 4300,
      storefrontPort: 8080,
      telemetryPort: 4618,
      portOffset: 300,
    });
    expect(
      parseCliConfig(["dev", "--mode", "monolith", "--data-dir", "/srv/x", "--verbose"], { SUPERVISOR_PORT: "4999" }, "/repo"),
    ).toMatchObject({
      command: "dev",
      mode: "monolith",
      dataDir: "/srv/x",
      supervisorPort: 4999,
      verbose: true,
    });
  });

  it("names what is wrong with argv or the environment", () => {
    expect(() => parseCliConfig(["--mode", "cluster"], {}, "/repo")).toThrow(
      /mode: --mode is microservices or monolith \(got "cluster"\)/,
    );
    expect(() => parseCliConfig(["--port", "1"], {}, "/repo")).toThrow(/Unknown option '--port'/);
    expect(() => parseCliConfig(["--db", "mysql"], {}, "/repo")).toThrow(/db: --db is sqlite or postgres \(got "mysql"\)/);
    expect(() => parseCliConfig([], { SUPERVISOR_PORT: "http" }, "/repo")).toThrow(/SUPERVISOR_PORT/);
    expect(() => parseCliConfig([], { MICROSHOP_NODE_FLAGS: "small" }, "/repo")).toThrow(
      /MICROSHOP_NODE_FLAGS is sized or node-defaults/,
    );
    expect(parseCliConfig([], { MICROSHOP_NODE_FLAGS: "node-defaults" }, "/repo").nodeFlags).toBe("node-defaults");
  });
});

describe("nodeFlagsFor", () => {
  it("keeps Node 24's young generation (better-sqlite3 aborts under a small one) and gives Node 22 the context frame", () => {
    expect(nodeFlagsFor("service", "sized", 20)).toEqual(["--max-semi-space-size=1", "--v8-pool-size=1"]);
    expect(nodeFlagsFor("service", "sized", 22)).toEqual([
      "--max-semi-space-size=1",
      "--v8-pool-size=1",
      "--experimental-async-context-frame",
    ]);
    expect(nodeFlagsFor("service", "sized", 24)).toEqual(["--v8-pool-size=1"]);
    expect(nodeFlagsFor("service", "node-defaults", 24)).toEqual(["--enable-source-maps"]);
  });
});
