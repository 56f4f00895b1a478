import { describe, expect, it } from "vitest";
import { defaultLoadSettings, loadSettingsSchema } from "./load";

describe("the load's defaults", () => {
  // The defaults live in the zod-free values module (browser code imports them), so nothing but
  // this test holds them to the schema.
  it("are settings the schema accepts, unchanged", () => {
    expect(loadSettingsSchema.parse(defaultLoadSettings)).toEqual(defaultLoadSettings);
  });
});
