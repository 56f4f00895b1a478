import path from "node:path";
import { describe, expect, it } from "vitest";
import { findRepoRoot, parseCliConfig } from "./config";
import { buildStack } from "./stack";

const repoRoot = findRepoRoot();
const dataDir = "/tmp/shop";

describe("buildStack", () => {
  it("runs one process per service, then the storefront pointed at each of them", () => {
    const specs = buildStack({ mode: "microservices", dev: false, repoRoot, dataDir, logLevel: "info", services: ["product", "inventory"] });
    expect(specs.map((spec) => [spec.name, spec.port, spec.dependsOn])).toEqual([
      ["product", 4001, []],
      ["inventory", 4002, []],
      ["storefront", 3000, ["product", "inventory"]],
    ]);
    const product = specs[0]!;
    expect(product.cwd).toBe(path.join(repoRoot, "apps/services/product"));
    expect(product.args).toEqual(["--enable-source-maps", "dist/main.js"]);
    expect(product.env).toMatchObject({ PORT: "4001", DATA_DIR: dataDir, DATABASE_URL: "file:/tmp/shop/product.db" });
    expect(product.migrations).toEqual([expect.objectContaining({ service: "product", databaseFile: "/tmp/shop/product.db" })]);
    expect(specs[2]!.env).toMatchObject({
      PRODUCT_SERVICE_URLS: "http://127.0.0.1:4001/trpc",
      INVENTORY_SERVICE_URLS: "http://127.0.0.1:4002/trpc",
    });
    expect(specs[2]!.readyUrl).toBe("http://127.0.0.1:3000/api/health");
  });

  it("runs every service inside the monolith, which migrates each database and owns no DATABASE_URL", () => {
    const specs = buildStack({ mode: "monolith", dev: false, repoRoot, dataDir, logLevel: "info", services: ["product", "inventory"] });
    expect(specs.map((spec) => spec.name)).toEqual(["monolith", "storefront"]);
    const monolith = specs[0]!;
    expect(monolith.hosts).toEqual(["product", "inventory"]);
    expect(monolith.env.DATABASE_URL).toBeUndefined();
    expect(monolith.migrations.map((target) => target.databaseFile)).toEqual(["/tmp/shop/product.db", "/tmp/shop/inventory.db"]);
    expect(specs[1]!.env.INVENTORY_SERVICE_URLS).toBe("http://127.0.0.1:4100/inventory/trpc");
  });

  it("watches sources in dev mode", () => {
    const [product, storefront] = buildStack({ mode: "microservices", dev: true, repoRoot, dataDir, logLevel: "info", services: ["product"] });
    expect(product!.args.slice(1)).toEqual(["watch", "--clear-screen=false", "src/main.ts"]);
    expect(storefront!.args.slice(1, 2)).toEqual(["dev"]);
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
    });
    expect(parseCliConfig(["dev", "--mode", "monolith", "--data-dir", "/tmp/x", "--verbose"], { SUPERVISOR_PORT: "4999" }, "/repo")).toMatchObject({
      command: "dev",
      mode: "monolith",
      dataDir: "/tmp/x",
      supervisorPort: 4999,
      verbose: true,
    });
  });

  it("names what is wrong with argv or the environment", () => {
    expect(() => parseCliConfig(["--mode", "cluster"], {}, "/repo")).toThrow(/mode: --mode is microservices or monolith \(got "cluster"\)/);
    expect(() => parseCliConfig(["--port", "1"], {}, "/repo")).toThrow(/Unknown option '--port'/);
    expect(() => parseCliConfig([], { SUPERVISOR_PORT: "http" }, "/repo")).toThrow(/SUPERVISOR_PORT/);
  });
});
