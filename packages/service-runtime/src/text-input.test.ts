import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { refuseNulCharacters } from "./text-input";

describe("refuseNulCharacters", () => {
  it("refuses a NUL anywhere in the input, values and keys, at any depth", () => {
    for (const input of ["a\u0000b", { q: "\u0000" }, { a: [{ b: ["ok", "x\u0000"] }] }, { ["k\u0000"]: 1 }]) {
      expect(() => refuseNulCharacters(input), JSON.stringify(input)).toThrow(TRPCError);
    }
  });

  it("lets every other text through, cycles included", () => {
    const cyclic: Record<string, unknown> = { name: "𝕄𝕚𝕔𝕣𝕠 <script>" };
    cyclic.self = cyclic;
    for (const input of [undefined, null, 0, "", "' OR 1=1 --", { q: "kettle", page: 1 }, ["a", ["b"]], cyclic]) {
      expect(() => refuseNulCharacters(input)).not.toThrow();
    }
  });
});
