/**
 * Trust between processes. Every process of a stack holds its own Ed25519 key (`SERVICE_SIGNING_KEY`)
 * and every process's public key (`SERVICE_TRUSTED_KEYS`). A call to a service carries a JWT (EdDSA,
 * by `jose`) that names its caller (`iss`) and its callee (`aud`), lives a minute, and is signed with
 * the caller's own key: a process can speak only as itself, and a token meant for one service is
 * worthless at another. Which callers a service answers is its own router's business (the runtime
 * checks `allowedCallers` from `@microshop/topology`).
 *
 * The supervisor derives each process's key from one root secret per stack (HKDF over the process
 * name), so the operator tools that hold that root (e2e, soak, bench) can sign as the process they
 * stand in for, while a process is handed only its own private key.
 */
import { createPrivateKey, createPublicKey, hkdfSync, timingSafeEqual, type KeyObject } from "node:crypto";
import { decodeJwt, jwtVerify, SignJWT } from "jose";
import { z } from "zod";

export const SERVICE_TOKEN_HEADER = "x-microshop-service-token";
const lifetimeSeconds = 60;
/**
 * A token is reused for most of its life, so signing costs one signature per caller and callee every
 * 45 s, and the one sent always has 15 s left: more than any deadline of a call, and than the clock
 * skew the verifier tolerates.
 */
const reuseSeconds = 45;
/** How far the verifier tolerates clocks apart, and so how old a token may be: its life and that. */
const clockToleranceSeconds = 5;
const maxAgeSeconds = lifetimeSeconds + clockToleranceSeconds;

export const serviceTokenSecretSchema = z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -hex 32`)");

const base64url32 = /^[A-Za-z0-9_-]{43}$/;
const processName = /^[a-z][a-z0-9-]*$/;

/** This process's private key: a base64url Ed25519 seed (32 bytes), as the supervisor hands it out. */
export const signingKeySchema = z
  .string()
  .regex(base64url32, "must be a base64url Ed25519 seed of 32 bytes (the supervisor makes one per process)");

/** Every process's public key, `name:key,name:key`, as the supervisor hands them out. */
export const trustedKeysSchema = z
  .string()
  .trim()
  .refine(
    (value) =>
      value.split(",").every((entry) => {
        const [name, key, ...rest] = entry.trim().split(":");
        return rest.length === 0 && name !== undefined && processName.test(name) && key !== undefined && base64url32.test(key);
      }),
    "must be a comma-separated list of name:base64url-public-key (the supervisor makes it)",
  );

export class CallerNotTrusted extends Error {
  override readonly name = "CallerNotTrusted";
}

// Node takes a raw Ed25519 seed only inside a PKCS#8 envelope: this fixed prefix plus the 32 bytes
// (RFC 8410). Hand-written because neither Node nor jose import a bare seed.
const pkcs8Ed25519Prefix = Buffer.from("302e020100300506032b657004220420", "hex");

function privateKeyFromSeed(seed: string): KeyObject {
  return createPrivateKey({
    key: Buffer.concat([pkcs8Ed25519Prefix, Buffer.from(seed, "base64url")]),
    format: "der",
    type: "pkcs8",
  });
}

function publicKeyFromRaw(raw: string): KeyObject {
  return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: raw }, format: "jwk" });
}

/** The private key of one process of a stack, derived from the stack's root secret (HKDF-SHA256 over the name). */
export function deriveSigningKey(rootSecret: string, name: string): string {
  return Buffer.from(hkdfSync("sha256", rootSecret, "microshop-service-keys", `process:${name}`, 32)).toString("base64url");
}

/** The public half of a signing key, as it appears in `SERVICE_TRUSTED_KEYS`. */
export function publicKeyOf(signingKey: string): string {
  const jwk = createPublicKey(privateKeyFromSeed(signingKey)).export({ format: "jwk" });
  if (!jwk.x) throw new Error("Ed25519 public key without x");
  return jwk.x;
}

/** `SERVICE_TRUSTED_KEYS` for a stack whose processes are `names`. */
export function trustedKeysFor(rootSecret: string, names: readonly string[]): string {
  return names.map((name) => `${name}:${publicKeyOf(deriveSigningKey(rootSecret, name))}`).join(",");
}

/** The bearer token of a stack's control API (the supervisor's), derived from the same root secret. */
export function deriveControlToken(rootSecret: string): string {
  return Buffer.from(hkdfSync("sha256", rootSecret, "microshop-control", "supervisor", 32)).toString("base64url");
}

/** Compares two secrets in constant time. */
export function sameSecret(presented: string, expected: string): boolean {
  const left = Buffer.from(presented);
  const right = Buffer.from(expected);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Who a process is and the key it signs with. */
export interface ProcessCredentials {
  readonly caller: string;
  readonly signingKey: string;
}

/** The credentials of a process of a stack, for a tool that holds the stack's root secret (e2e, soak, bench). */
export function credentialsOf(rootSecret: string, caller: string): ProcessCredentials {
  return { caller, signingKey: deriveSigningKey(rootSecret, caller) };
}

/** A source of tokens from one caller to one callee: the current one, signed anew once 45 s of its minute have gone. */
export function serviceTokenSigner(credentials: ProcessCredentials, audience: string): () => Promise<string> {
  const key = privateKeyFromSeed(credentials.signingKey);
  let current: { token: Promise<string>; renewAt: number } | undefined;
  return () => {
    const now = Date.now() / 1_000;
    if (!current || now >= current.renewAt) {
      const token = new SignJWT({})
        .setProtectedHeader({ alg: "EdDSA" })
        .setIssuer(credentials.caller)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime(Math.floor(now) + lifetimeSeconds)
        .sign(key);
      current = { token, renewAt: now + reuseSeconds };
    }
    return current.token;
  };
}

/** Verifies tokens for one stack: each against the public key of the caller it names. */
export interface ServiceTokenVerifier {
  /** Who is calling, when the token is genuine, current and meant for `audience`; throws `CallerNotTrusted` saying why not. */
  verify(token: string | undefined, audience: string): Promise<{ caller: string }>;
}

/**
 * Verified tokens kept until they expire, so a busy caller costs one signature check per token, not
 * per call. The cache never accepts what a full check would refuse: it belongs to one verifier (one
 * set of trusted keys), holds the exact token (signature included), answers only for the audience it
 * was verified for, and keeps it no later than the check would still pass: its `exp`, and its `iat`
 * plus the longest age allowed, both checked at every call.
 */
const verifiedCacheSize = 1_000;

export function createServiceTokenVerifier(trustedKeys: string): ServiceTokenVerifier {
  const keys = new Map<string, KeyObject>();
  for (const entry of trustedKeys.split(",")) {
    const [name, raw] = entry.trim().split(":");
    if (name && raw) keys.set(name, publicKeyFromRaw(raw));
  }
  const verified = new Map<string, { caller: string; audience: string; expiresAt: number }>();
  return {
    async verify(token, audience) {
      if (!token) throw new CallerNotTrusted("no service credential: only the system's own processes may call a service");
      const now = Date.now() / 1_000;
      const known = verified.get(token);
      if (known && known.expiresAt > now) {
        if (known.audience !== audience)
          throw new CallerNotTrusted(`this credential was made for the ${known.audience} service, not ${audience}`);
        return { caller: known.caller };
      }
      let caller: string;
      try {
        caller = decodeJwt(token).iss ?? "";
      } catch {
        throw new CallerNotTrusted("invalid service credential: not a token");
      }
      const key = keys.get(caller);
      if (!key)
        throw new CallerNotTrusted(
          `invalid service credential: ${caller ? `"${caller}" is not a process of this stack` : "it names no caller"}`,
        );
      try {
        const { payload } = await jwtVerify(token, key, {
          audience,
          issuer: caller,
          algorithms: ["EdDSA"],
          clockTolerance: clockToleranceSeconds,
          maxTokenAge: maxAgeSeconds,
        });
        // `maxTokenAge` makes jose insist on `iat`; a token without `exp` is not kept (it "expires" now).
        const expiresAt = Math.min(payload.exp ?? now, (payload.iat ?? now) + maxAgeSeconds);
        if (verified.size >= verifiedCacheSize) verified.clear();
        verified.set(token, { caller, audience, expiresAt });
        return { caller };
      } catch (error) {
        throw new CallerNotTrusted(`invalid service credential: ${error instanceof Error ? error.message : "rejected"}`);
      }
    },
  };
}
