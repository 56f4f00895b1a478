import { TRPCError } from "@trpc/server";
import cardValidator from "card-validator";
import { z } from "zod";

/** What a shopper reads when the card itself is wrong; the same words a real checkout would show. */
export const cardMessages = {
  number: "Your card number is invalid",
  expired: "Your card has expired",
  securityCode: "Your card's security code is invalid",
} as const;

function checkNumber(digits: string) {
  // UnionPay cards skip the Luhn check by default in card-validator; this processor checks every card.
  return cardValidator.number(digits, { luhnValidateUnionPay: true });
}

/** Spaces are how people type card numbers; the rest is the network's rules (Luhn, brand lengths). */
const cardNumberSchema = z
  .string()
  .max(40, cardMessages.number)
  .transform((value) => value.replace(/ /g, ""))
  .refine((digits) => /^\d{12,19}$/.test(digits) && checkNumber(digits).isValid, cardMessages.number);

/** "27" and "2027" both mean 2027. */
const expYearSchema = z
  .number()
  .int()
  .refine(
    (year) => (year >= 0 && year <= 99) || (year >= 2000 && year <= 2099),
    "Use a 2-digit (27) or 4-digit (2027) expiry year",
  )
  .transform((year) => (year < 100 ? 2000 + year : year));

export const cardSchema = z
  .object({
    number: cardNumberSchema,
    expMonth: z.number().int().min(1).max(12),
    expYear: expYearSchema,
    cvc: z.string().regex(/^\d{3,4}$/, cardMessages.securityCode),
    holderName: z.string().trim().min(1).max(100),
  })
  // zod runs this even when a field already failed; a malformed code is reported once, by its field.
  .refine(
    (card) => !/^\d{3,4}$/.test(card.cvc) || cardValidator.cvv(card.cvc, describeCard(card.number).securityCodeLength).isValid,
    {
      message: cardMessages.securityCode,
      path: ["cvc"],
    },
  );
export type Card = z.infer<typeof cardSchema>;

/** The only facts about a card this service keeps: never the full number, never the code. */
export function describeCard(digits: string): { brand: string; last4: string; securityCodeLength: number } {
  const card = checkNumber(digits).card;
  return { brand: card?.type ?? "unknown", last4: digits.slice(-4), securityCodeLength: card?.code.size ?? 3 };
}

/**
 * A card is good through the last day of its expiry month. The check needs the clock, which the
 * static input schema cannot have, so it is a schema of its own, built per call, that fails with
 * the same field-level error shape as the input schema (`fieldErrors.card`).
 */
export function assertNotExpired(card: Pick<Card, "expMonth" | "expYear">, now: Date): void {
  const thisMonth = now.getUTCFullYear() * 12 + now.getUTCMonth();
  const notExpired = z.object({
    card: z
      .object({ expMonth: z.number(), expYear: z.number() })
      .refine((expiry) => expiry.expYear * 12 + (expiry.expMonth - 1) >= thisMonth, {
        message: cardMessages.expired,
        path: ["expYear"],
      }),
  });
  const result = notExpired.safeParse({ card });
  if (!result.success) throw new TRPCError({ code: "BAD_REQUEST", message: cardMessages.expired, cause: result.error });
}
