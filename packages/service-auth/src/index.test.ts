import { createPrivateKey } from "node:crypto";
import { SignJWT } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  CallerNotTrusted,
  createServiceTokenVerifier,
  credentialsOf,
  deriveControlToken,
  deriveSigningKey,
  serviceTokenSigner,
  signingKeySchema,
  trustedKeysFor,
  trustedKeysSchema,
} from "./index";

const root = "a-stack-root-secret-of-at-least-32-characters";
const trusted = trustedKeysFor(root, ["order", "storefront"]);

/** A token signed with `name`'s key of `root`, with the claims given (the signer's are fixed). */
async function tokenWith(claims: { iat: number; exp: number; aud?: string }, name = "order") {
  const seed = Buffer.from(deriveSigningKey(root, name), "base64url");
  const key = createPrivateKey({
    key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]),
    format: "der",
    type: "pkcs8",
  });
  return new SignJWT({})
    .setProtectedHeader({ alg: "EdDSA" })
    .setIssuer(name)
    .setAudience(claims.aud ?? "payment")
    .setIssuedAt(claims.iat)
    .setExpirationTime(claims.exp)
    .sign(key);
}

afterEach(() => {
  vi.useRealTimers();
});

describe("service tokens", () => {
  it("name the caller to the service they were made for", async () => {
    const token = await serviceTokenSigner(credentialsOf(root, "order"), "payment")();
    expect(await createServiceTokenVerifier(trusted).verify(token, "payment")).toEqual({ caller: "order" });
  });

  it("are reused while fresh rather than signed for every call", async () => {
    const sign = serviceTokenSigner(credentialsOf(root, "order"), "payment");
    expect(await sign()).toBe(await sign());
  });

  it("are refused at any other service than their audience, even once verified elsewhere", async () => {
    const verifier = createServiceTokenVerifier(trusted);
    const forInventory = await serviceTokenSigner(credentialsOf(root, "order"), "inventory")();
    await expect(verifier.verify(forInventory, "payment")).rejects.toThrow(/aud/);
    await verifier.verify(forInventory, "inventory");
    await expect(verifier.verify(forInventory, "payment")).rejects.toThrow(/made for the inventory service/);
  });

  it("are refused when signed with another process's key than the caller they name", async () => {
    // The storefront's key, claiming to be the order service.
    const impostor = await serviceTokenSigner({ caller: "order", signingKey: deriveSigningKey(root, "storefront") }, "payment")();
    await expect(createServiceTokenVerifier(trusted).verify(impostor, "payment")).rejects.toThrow(/signature/);
    const otherStack = await serviceTokenSigner(credentialsOf("another-root-secret-of-at-least-32-chars", "order"), "payment")();
    await expect(createServiceTokenVerifier(trusted).verify(otherStack, "payment")).rejects.toThrow(CallerNotTrusted);
  });

  it("are refused when missing, from an unknown process, expired, or not tokens", async () => {
    const verifier = createServiceTokenVerifier(trusted);
    await expect(verifier.verify(undefined, "payment")).rejects.toThrow(/no service credential/);
    const stranger = await serviceTokenSigner(credentialsOf(root, "stranger"), "payment")();
    await expect(verifier.verify(stranger, "payment")).rejects.toThrow(/"stranger" is not a process of this stack/);
    await expect(verifier.verify("not.a.token", "payment")).rejects.toThrow(CallerNotTrusted);
    // A token whose signature is fine but whose life is over.
    const { createPrivateKey } = await import("node:crypto");
    const seed = Buffer.from(deriveSigningKey(root, "order"), "base64url");
    const key = createPrivateKey({
      key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]),
      format: "der",
      type: "pkcs8",
    });
    const now = Math.floor(Date.now() / 1_000);
    const expired = await new SignJWT({})
      .setProtectedHeader({ alg: "EdDSA" })
      .setIssuer("order")
      .setAudience("payment")
      .setIssuedAt(now - 120)
      .setExpirationTime(now - 60)
      .sign(key);
    await expect(verifier.verify(expired, "payment")).rejects.toThrow(/exp/);
  });

  it("keys are per process and per stack, and what the supervisor hands out passes its schemas", () => {
    expect(deriveSigningKey(root, "order")).not.toBe(deriveSigningKey(root, "storefront"));
    expect(deriveSigningKey(root, "order")).toBe(deriveSigningKey(root, "order"));
    expect(signingKeySchema.safeParse(deriveSigningKey(root, "order")).success).toBe(true);
    expect(trustedKeysSchema.safeParse(trusted).success).toBe(true);
    expect(trustedKeysSchema.safeParse("order:short").success).toBe(false);
    expect(deriveControlToken(root)).not.toBe(deriveSigningKey(root, "supervisor"));
  });

  it("are signed anew before they run out: the one sent has a quarter of its minute left, at least", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-01-01T00:00:00Z"));
    const sign = serviceTokenSigner(credentialsOf(root, "order"), "payment");
    const first = await sign();
    vi.setSystemTime(new Date("2026-01-01T00:00:44Z"));
    expect(await sign()).toBe(first);
    vi.setSystemTime(new Date("2026-01-01T00:00:46Z"));
    const second = await sign();
    expect(second).not.toBe(first);
    expect(await createServiceTokenVerifier(trusted).verify(second, "payment")).toEqual({ caller: "order" });
  });
});

describe("the cache of verified tokens", () => {
  it("refuses a token it accepted once the token has expired", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-01-01T00:00:00Z"));
    const verifier = createServiceTokenVerifier(trusted);
    const token = await serviceTokenSigner(credentialsOf(root, "order"), "payment")();
    await verifier.verify(token, "payment");
    vi.setSystemTime(new Date("2026-01-01T00:00:30Z"));
    expect(await verifier.verify(token, "payment")).toEqual({ caller: "order" });
    vi.setSystemTime(new Date("2026-01-01T00:01:10Z"));
    await expect(verifier.verify(token, "payment")).rejects.toThrow(CallerNotTrusted);
  });

  it("refuses a long-lived token once it is older than any token may be, as a full check would", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-01-01T00:00:00Z"));
    const now = Math.floor(Date.now() / 1_000);
    const verifier = createServiceTokenVerifier(trusted);
    const longLived = await tokenWith({ iat: now, exp: now + 3_600 });
    expect(await verifier.verify(longLived, "payment")).toEqual({ caller: "order" });
    vi.setSystemTime(new Date("2026-01-01T00:01:30Z"));
    await expect(createServiceTokenVerifier(trusted).verify(longLived, "payment")).rejects.toThrow(/"iat" claim/);
    await expect(verifier.verify(longLived, "payment")).rejects.toThrow(CallerNotTrusted);
  });

  it("refuses a token accepted by another stack's verifier: each verifier keeps its own", async () => {
    const ours = createServiceTokenVerifier(trusted);
    const otherRoot = "another-root-secret-of-at-least-32-chars";
    const theirs = createServiceTokenVerifier(trustedKeysFor(otherRoot, ["order"]));
    const theirToken = await serviceTokenSigner(credentialsOf(otherRoot, "order"), "payment")();
    expect(await theirs.verify(theirToken, "payment")).toEqual({ caller: "order" });
    await expect(ours.verify(theirToken, "payment")).rejects.toThrow(/signature/);
  });

  it("refuses a token for another audience, with its full check's reason the first time and the cache's after", async () => {
    const verifier = createServiceTokenVerifier(trusted);
    const now = Math.floor(Date.now() / 1_000);
    const forCart = await tokenWith({ iat: now, exp: now + 60, aud: "cart" });
    await expect(verifier.verify(forCart, "payment")).rejects.toThrow(/aud/);
    await verifier.verify(forCart, "cart");
    await expect(verifier.verify(forCart, "payment")).rejects.toThrow(/made for the cart service/);
  });
});
