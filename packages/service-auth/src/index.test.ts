import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { CallerNotTrusted, serviceTokenSigner, verifyServiceToken } from "./index";

const secret = "a-shared-secret-of-at-least-32-characters";

describe("service tokens", () => {
  it("name the caller to a service that holds the same secret", async () => {
    const token = await serviceTokenSigner(secret, "order")();
    expect(await verifyServiceToken(secret, token)).toEqual({ caller: "order" });
  });

  it("are reused while fresh rather than signed for every call", async () => {
    const sign = serviceTokenSigner(secret, "order");
    expect(await sign()).toBe(await sign());
  });

  it("are refused when missing, signed with another secret, expired, or meant for someone else", async () => {
    await expect(verifyServiceToken(secret, undefined)).rejects.toThrow(/no service credential/);
    const forged = await serviceTokenSigner("another-secret-of-at-least-32-characters", "order")();
    await expect(verifyServiceToken(secret, forged)).rejects.toThrow(CallerNotTrusted);
    const key = new TextEncoder().encode(secret);
    const expired = await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setIssuer("order").setAudience("microshop-services").setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(key);
    await expect(verifyServiceToken(secret, expired)).rejects.toThrow(/exp/);
    const elsewhere = await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setAudience("another-system").setExpirationTime("1m").sign(key);
    await expect(verifyServiceToken(secret, elsewhere)).rejects.toThrow(/aud/);
    await expect(verifyServiceToken(secret, "not.a.token")).rejects.toThrow(CallerNotTrusted);
  });
});
