import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generatedFiles, kubernetesDir } from "./generate";

describe("deploy/kubernetes", () => {
  it("holds exactly what the generator makes from the topology (run `pnpm --filter @microshop/deploy manifests`)", () => {
    for (const [name, content] of Object.entries(generatedFiles())) {
      const file = path.join(kubernetesDir, name);
      expect(existsSync(file), `${name} is missing`).toBe(true);
      expect(readFileSync(file, "utf8"), `${name} differs from a fresh generation`).toBe(content);
    }
  });
});
