/**
 * Trust between processes. Every call from one process of the system to a service carries a
 * short-lived token signed with a secret they share (`SERVICE_TOKEN_SECRET`): a JWT (HS256, by
 * `jose`) naming the caller, for the audience "microshop-services", valid for a minute. A browser,
 * or anything else that does not hold the secret, cannot make one, so it cannot call a service.
 */
import { jwtVerify, SignJWT } from "jose";
import { z } from "zod";

export const SERVICE_TOKEN_HEADER = "x-microshop-service-token";
const audience = "microshop-services";
const lifetimeSeconds = 60;
/** Tokens are reused for half their life, so signing costs one HMAC per caller every 30 s. */
const reuseSeconds = lifetimeSeconds / 2;

export const serviceTokenSecretSchema = z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -hex 32`)");

const key = (secret: string) => new TextEncoder().encode(secret);

export class CallerNotTrusted extends Error {
  override readonly name = "CallerNotTrusted";
}

/** A source of tokens for one caller: the current one, signed anew when half its life has gone. */
export function serviceTokenSigner(secret: string, caller: string): () => Promise<string> {
  let current: { token: Promise<string>; renewAt: number } | undefined;
  return () => {
    const now = Date.now() / 1_000;
    if (!current || now >= current.renewAt) {
      const token = new SignJWT({})
        .setProtectedHeader({ alg: "HS256" })
        .setIssuer(caller)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime(Math.floor(now) + lifetimeSeconds)
        .sign(key(secret));
      current = { token, renewAt: now + reuseSeconds };
    }
    return current.token;
  };
}

/** Who is calling, when the token is genuine and current; throws `CallerNotTrusted` saying why not. */
export async function verifyServiceToken(secret: string, token: string | undefined): Promise<{ caller: string }> {
  if (!token) throw new CallerNotTrusted("no service credential: only the system's own processes may call a service");
  try {
    const { payload } = await jwtVerify(token, key(secret), { audience, algorithms: ["HS256"], clockTolerance: 5 });
    return { caller: payload.iss ?? "unknown" };
  } catch (error) {
    throw new CallerNotTrusted(`invalid service credential: ${error instanceof Error ? error.message : "rejected"}`);
  }
}
