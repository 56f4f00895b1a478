import { describe, expect, it } from "vitest";
import { withLoadBaggage } from "./baggage";

describe("the load's baggage", () => {
  it("is added to headers that have none, the other headers kept", () => {
    expect(withLoadBaggage()).toEqual({ baggage: "microshop.synthetic=load" });
    expect(withLoadBaggage({ authorization: "Bearer x" })).toEqual({
      authorization: "Bearer x",
      baggage: "microshop.synthetic=load",
    });
  });

  it("joins the caller's baggage, whatever its casing, replacing a synthetic member of theirs", () => {
    expect(withLoadBaggage({ BAGGAGE: "a=1;prop, microshop.synthetic = other ,b=2" })).toEqual({
      baggage: "a=1;prop,b=2,microshop.synthetic=load",
    });
  });
});
