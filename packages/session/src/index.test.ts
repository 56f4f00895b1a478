import { createTRPCClient, unstable_localLink as localLink, TRPCClientError } from "@trpc/client";
import { initTRPC, TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { sessionTokenSchema, sessionUser, type SessionValidator } from "./index";

// A stand-in for the user service's sessions.validate, answering by token.
const t = initTRPC.create();
const router = t.router({
  sessions: t.router({
    validate: t.procedure.input(z.object({ token: sessionTokenSchema })).query(({ input }) => {
      if (input.token === "expired-token") throw new TRPCError({ code: "UNAUTHORIZED", message: "This session has ended" });
      if (input.token === "broken-service") throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "database is locked" });
      return { user: { id: "u_1", email: "ada@example.com", name: "Ada", passwordHash: "never copied" } };
    }),
  }),
});
const users: SessionValidator = createTRPCClient<typeof router>({
  links: [localLink({ router, createContext: () => Promise.resolve({}) })],
});

/** A user service that fails every call with `error`, as the client would. */
function failing(error: Error): SessionValidator {
  return { sessions: { validate: { query: () => Promise.reject(error) } } };
}

const expired = { code: "UNAUTHORIZED", message: "Your session has expired. Please sign in again." };
const unavailable = {
  code: "SERVICE_UNAVAILABLE",
  message: "We can't check your sign-in right now. Please try again in a moment.",
};

describe("sessionUser", () => {
  it("answers the session's user, and only who they are", async () => {
    expect(await sessionUser(users, "a-good-session")).toEqual({ id: "u_1", email: "ada@example.com", name: "Ada" });
  });

  it.each([
    ["an expired session", "expired-token"],
    ["a malformed one (BAD_REQUEST)", "short"],
  ])("is UNAUTHORIZED with the shopper's message for %s", async (_, token) => {
    await expect(sessionUser(users, token)).rejects.toMatchObject(expired);
  });

  it.each([
    ["a broken user service", () => sessionUser(users, "broken-service")],
    ["no answer", () => sessionUser(failing(TRPCClientError.from(new TypeError("fetch failed"))), "a-good-session")],
    ["a missed deadline", () => sessionUser(failing(new TRPCClientError("late", { meta: { timeout: true } })), "a-good-session")],
  ])("is SERVICE_UNAVAILABLE for %s, keeping the cause for the logs", async (_, lookUp) => {
    const error = await lookUp().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TRPCError);
    expect(error).toMatchObject(unavailable);
    expect((error as TRPCError).cause).toBeInstanceOf(TRPCClientError);
  });
});

describe("sessionTokenSchema", () => {
  it("takes 10 to 200 characters", () => {
    expect(["x".repeat(10), "x".repeat(200)].map((token) => sessionTokenSchema.safeParse(token).success)).toEqual([true, true]);
    expect(["x".repeat(9), "x".repeat(201)].map((token) => sessionTokenSchema.safeParse(token).success)).toEqual([false, false]);
  });
});
