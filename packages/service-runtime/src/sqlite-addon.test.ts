import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { sqliteAddonPath, sqliteNativeBinding } from "./sqlite-addon";

describe("sqliteNativeBinding", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("leaves better-sqlite3 to its own lookup unless SQLITE_ADDON_DIR is set", () => {
    expect(sqliteNativeBinding({})).toBeUndefined();
    expect(sqliteNativeBinding({ SQLITE_ADDON_DIR: "" })).toBeUndefined();
  });

  it("takes the build for the running Node's ABI from SQLITE_ADDON_DIR", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "sqlite-addons-"));
    dirs.push(dir);
    mkdirSync(path.join(dir, "node-v137"));
    writeFileSync(path.join(dir, "node-v137", "better_sqlite3.node"), "");
    expect(sqliteNativeBinding({ SQLITE_ADDON_DIR: dir }, "137")).toBe(path.join(dir, "node-v137", "better_sqlite3.node"));
    expect(sqliteAddonPath(dir, "115")).toBe(path.join(dir, "node-v115", "better_sqlite3.node"));
  });

  it("refuses to start, naming the missing build, when the folder has none for this Node", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "sqlite-addons-"));
    dirs.push(dir);
    expect(() => sqliteNativeBinding({ SQLITE_ADDON_DIR: dir }, "127")).toThrow(
      /no better-sqlite3 build for this Node .*ABI 127.*node-v127/,
    );
  });
});
