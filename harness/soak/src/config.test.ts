import { describe, expect, it } from "vitest";
import { parseSoakConfig, SoakConfigError } from "./config";

const parse = (argv: string[]) => parseSoakConfig(argv, {}, "/repo");

describe("the soak's --seed", () => {
  it("replays the run that printed it, and is a new one's when not given", () => {
    expect(parse(["--short", "--seed", "1380040284"]).seed).toBe(1380040284);
    expect(parse(["--short"]).seed).toBeUndefined();
  });

  it("is refused when it is not a whole number the report could have printed", () => {
    for (const seed of ["lamp", "1.5", "0", String(2 ** 31)]) expect(() => parse(["--seed", seed])).toThrow(SoakConfigError);
    expect(() => parse(["--seed", "1.5"])).toThrow("--seed is a whole number");
  });
});
